"""The city dashboard on the home page (issue 15): for a city admin (every district, the city)
and a district officer (their district), this month so far against the same days of last
month, figure by figure, with the change. The figures are the reports desk's own: each report
builder (reports/claims.py, members.py, relief.py, outreach.py) is called for the two periods
and its totals row read, so a card and its report page never disagree. A service that does
not answer makes its cards say 暂时无法读取; the page still opens."""

from __future__ import annotations

import asyncio
import calendar
import logging
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ..auth.sessions import Session
from ..clients import Platform
from ..reports.claims import claims_report
from ..reports.framework import Builder, Jurisdiction, Period, Report, jurisdiction
from ..reports.members import members_report
from ..reports.outreach import outreach_report
from ..reports.relief import relief_report

log = logging.getLogger(__name__)

# (report key, the report's title on a card, builder, [(column key, figure's name, kind)])
GROUPS: list[tuple[str, str, Builder, list[tuple[str, str, str]]]] = [
    (
        "claims",
        "互助保障",
        claims_report,
        [("filed", "受理件数", "count"), ("paid", "支付笔数", "count"),
         ("paid_amount", "支付金额", "yuan")],
    ),
    ("members", "会员", members_report, [("joined", "新入会人数", "count")]),
    (
        "relief",
        "困难帮扶",
        relief_report,
        [("person_times", "帮扶人次", "count"), ("amount", "帮扶金额", "yuan")],
    ),
    (
        "outreach",
        "职工服务",
        outreach_report,
        [("sessions_held", "巡回服务场次", "count"), ("person_times", "服务人次", "count")],
    ),
]  # fmt: skip
UNAVAILABLE = "暂时无法读取"


@dataclass(frozen=True)
class Change:
    arrow: str  # ↑, ↓ or "" (no change, or nothing to compare with)
    text: str  # 增加 12.5%, 减少 3.0%, 持平, 上月同期为 0
    kind: str  # up, down, flat


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    kind: str  # count or yuan
    now: Decimal | int | None  # None: the service did not answer
    before: Decimal | int | None

    @property
    def change(self) -> Change | None:
        if self.now is None or self.before is None:
            return None
        return change(Decimal(self.now), Decimal(self.before))


@dataclass(frozen=True)
class Group:
    key: str
    title: str
    link: str  # the report page for this month so far
    figures: list[Figure]
    available: bool

    @property
    def service(self) -> str:
        """The service the figures come from, as the page names it."""
        return f"{self.title}业务系统"


@dataclass(frozen=True)
class Dashboard:
    scope: str  # 舟山市总工会（全市） or 定海区总工会
    this_month: Period
    last_month: Period
    groups: list[Group]

    @property
    def last_words(self) -> str:
        """上月全月 when today's day is past last month's end (31 March: all February)."""
        whole = self.last_month.end == _month_end(self.last_month.start)
        return "上月全月" if whole else "上月同期"

    @property
    def this_text(self) -> str:
        return f"本月（{_md(self.this_month.start)}至{_md(self.this_month.end)}）"

    @property
    def last_text(self) -> str:
        return f"{self.last_words}（{_md(self.last_month.start)}至{_md(self.last_month.end)}）"


def periods(today: date) -> tuple[Period, Period]:
    """This month from the 1st to today, and last month's same days (the 1st to the same day,
    or to its last day when last month is shorter: 31 March against 1–28 February)."""
    this = Period(today.replace(day=1), today)
    last_end = this.start - timedelta(days=1)
    last_start = last_end.replace(day=1)
    day = min(today.day, last_end.day)
    return this, Period(last_start, last_start.replace(day=day))


def change(now: Decimal, before: Decimal) -> Change:
    if now == before:
        return Change("", "持平", "flat")
    if before == 0:
        return Change("↑", "上月同期为 0", "up")
    percent = ((now - before) / before * 100).quantize(Decimal("0.1"))
    if now > before:
        return Change("↑", f"增加 {percent}%", "up")
    return Change("↓", f"减少 {-percent}%", "down")


async def dashboard(platform: Platform, session: Session, today: date) -> Dashboard:
    this, last = periods(today)
    try:
        where: Jurisdiction | None = await jurisdiction(platform, session)
    except Exception:  # members did not answer: no districts to ask about
        log.warning("dashboard: no jurisdiction", exc_info=True)
        where = None
    groups = await asyncio.gather(*(_group(platform, where, this, last, g) for g in GROUPS))
    scope = where.name if where is not None else session.identity.org
    return Dashboard(scope, this, last, list(groups))


async def _group(
    platform: Platform,
    where: Jurisdiction | None,
    this: Period,
    last: Period,
    group: tuple[str, str, Builder, list[tuple[str, str, str]]],
) -> Group:
    key, title, build, figures = group
    link = f"/reports/{key}?start={this.start.isoformat()}&end={this.end.isoformat()}"
    totals: list[dict[str, Any]] | None = None
    if where is not None:
        try:
            reports: list[Report] = list(
                await asyncio.gather(build(platform, this, where), build(platform, last, where))
            )
            totals = [r.totals for r in reports]
        except Exception:  # the service did not answer (or refused): this group's cards say so
            log.warning("dashboard: %s report unavailable", key, exc_info=True)
    return Group(
        key,
        title,
        link,
        [
            Figure(
                k, label, kind,
                totals[0][k] if totals else None,
                totals[1][k] if totals else None,
            )
            for k, label, kind in figures
        ],
        totals is not None,
    )  # fmt: skip


def chart(board: Dashboard) -> dict[str, Any] | None:
    """A bar chart of the counts, this month against last month's same days (no amounts: a
    different scale)."""
    counts = [f for g in board.groups if g.available for f in g.figures if f.kind == "count"]
    if not any(f.now or f.before for f in counts):
        return None  # nothing to draw: the cards say it all
    names = [f.label for f in counts]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 50, "right": 20, "top": 40, "bottom": 30},
        "xAxis": {"type": "category", "data": names},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {
                "name": "本月",
                "type": "bar",
                "barMaxWidth": 48,
                "data": [float(f.now or 0) for f in counts],
            },
            {
                "name": board.last_words,
                "type": "bar",
                "barMaxWidth": 48,
                "data": [float(f.before or 0) for f in counts],
            },
        ],
    }


def _md(day: date) -> str:
    return f"{day.month}月{day.day}日"


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])
