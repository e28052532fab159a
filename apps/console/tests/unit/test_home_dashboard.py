"""The home dashboard without services: the two periods (this month so far, last month's same
days), the change in words, and a service that does not answer (its cards say so, the others
still show)."""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from console.clients import ServiceError
from console.home.dashboard import Change, change, dashboard, periods
from console.reports.framework import Period


def test_this_month_so_far_against_the_same_days_of_last_month() -> None:
    this, last = periods(date(2026, 12, 2))
    assert this == Period(date(2026, 12, 1), date(2026, 12, 2))
    assert last == Period(date(2026, 11, 1), date(2026, 11, 2))
    this, last = periods(date(2026, 3, 31))  # February is shorter: all of it
    assert last == Period(date(2026, 2, 1), date(2026, 2, 28))
    _, last = periods(date(2027, 1, 15))  # over the year's end
    assert last == Period(date(2026, 12, 1), date(2026, 12, 15))


def test_the_change_in_words() -> None:
    assert change(Decimal(3), Decimal(2)) == Change("↑", "增加 50.0%", "up")
    assert change(Decimal("900.00"), Decimal("1200.00")) == Change("↓", "减少 25.0%", "down")
    assert change(Decimal(5), Decimal(5)) == Change("", "持平", "flat")
    assert change(Decimal(0), Decimal(0)) == Change("", "持平", "flat")
    assert change(Decimal(4), Decimal(0)) == Change("↑", "上月同期为 0", "up")


def _down(*_: Any, **__: Any) -> Any:
    raise ServiceError("claims", 503, "service_unavailable", "connection refused")


async def _org(path: str) -> Any:
    return SimpleNamespace(path=path, name="普陀区总工会")


async def _members_report(query: dict[str, str], district: str | None) -> list[dict[str, Any]]:
    joined = 7 if query["from"] == "2026-12-01" else 2
    return [{"district": district, "active": 100, "joined": joined, "left": 0, "moved_in": 0,
             "moved_out": 0, "enrolled": {}}]  # fmt: skip


def test_a_service_that_does_not_answer_leaves_the_other_cards() -> None:
    platform: Any = SimpleNamespace(
        members=SimpleNamespace(org=_org, district_report=_members_report),
        claims=SimpleNamespace(district_report=_down, rejection_report=_down, settlement=_down),
        relief=SimpleNamespace(district_report=_down, budget=_down),
        outreach=SimpleNamespace(district_report=_down),
    )
    session: Any = SimpleNamespace(
        identity=SimpleNamespace(role="district_officer", org="zhoushan/putuo")
    )
    board = asyncio.run(dashboard(platform, session, date(2026, 12, 2)))
    assert board.scope == "普陀区总工会"
    assert board.last_words == "上月同期"
    groups = {g.key: g for g in board.groups}
    assert not groups["claims"].available
    assert [f.now for f in groups["claims"].figures] == [None, None, None]
    joined = groups["members"].figures[0]
    assert (joined.now, joined.before) == (7, 2)
    assert joined.change == Change("↑", "增加 250.0%", "up")
    assert groups["members"].link == "/reports/members?start=2026-12-01&end=2026-12-02"
