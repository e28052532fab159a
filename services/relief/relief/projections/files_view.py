"""Files and cards as lists: by district (paged), active cards for the monthly run, visits
due."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Table, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from union_events.events import RecordedEvent

from ..domain.subsidy import ActiveCard, overdue, visit_due
from .tables import cards_view, files_view

_PREFIX = "union.relief.file."


def _day(text: str) -> date:
    return date.fromisoformat(text)


class FilesView:
    name = "relief-files-view-2"
    tables: Sequence[Table] = (files_view, cards_view)

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        if not event.type.startswith(_PREFIX):
            return
        name = event.type.removeprefix(_PREFIX).rsplit(".", 1)[0]
        d, file_id = event.data, event.stream_id.removeprefix("file-")
        f, c = files_view.c, cards_view.c
        this_file = update(files_view).where(f.file_id == file_id)
        active_card = update(cards_view).where(c.file_id == file_id, c.status == "active")
        if name == "opened":
            await conn.execute(
                insert(files_view).values(
                    file_id=file_id,
                    member_id=d["member_id"],
                    district=d["district"],
                    category=d["category"],
                    status="open",
                    household_size=int(d["household_size"]),
                    monthly_income=Decimal(d["monthly_income"]),
                    opened_on=_day(d["opened_on"]),
                    review_due=_day(d["review_due"]),
                    household_erased=False,
                )
            )
        elif name == "reviewed":
            values = {
                "category": d["category"],
                "household_size": int(d["household_size"]),
                "monthly_income": Decimal(d["monthly_income"]),
                "review_due": _day(d["review_due"]),
            }
            await conn.execute(this_file.values(**values))
        elif name == "card_issued":
            member_id, district = (
                await conn.execute(select(f.member_id, f.district).where(f.file_id == file_id))
            ).one()
            since = _day(d["on"])
            await conn.execute(
                insert(cards_view).values(
                    card_id=d["card_id"],
                    file_id=file_id,
                    member_id=member_id,
                    district=district,
                    status="active",
                    since=since,
                )
            )
            card = {"card_id": d["card_id"], "card_since": since, "last_visit": None}
            await conn.execute(this_file.values(**card))
        elif name == "card_withdrawn":
            withdrawn = {"status": "withdrawn", "withdrawn_on": _day(d["on"])}
            await conn.execute(
                update(cards_view).where(c.card_id == d["card_id"]).values(**withdrawn)
            )
            no_card = {"card_id": None, "card_since": None, "last_visit": None}
            await conn.execute(this_file.values(**no_card))
        elif name == "visit_recorded":
            on = _day(d["on"])
            await conn.execute(active_card.values(last_visit=on))
            await conn.execute(this_file.values(last_visit=on))
        elif name == "moved":
            to = d["to_district"]
            await conn.execute(this_file.values(district=to))
            await conn.execute(active_card.values(district=to))
        elif name == "household_erased":
            await conn.execute(this_file.values(household_erased=True))
        elif name == "closed":
            await conn.execute(this_file.values(status="closed", closed_reason=d["reason"]))


def _card(row: Any) -> ActiveCard:
    return ActiveCard(
        row.card_id, row.file_id, row.member_id, row.district, row.since, row.last_visit
    )


async def active_cards(engine: AsyncEngine, district: str | None = None) -> list[ActiveCard]:
    query = select(cards_view).where(cards_view.c.status == "active")
    if district:
        query = query.where(cards_view.c.district == district)
    async with engine.connect() as conn:
        rows = await conn.execute(query.order_by(cards_view.c.card_id))
        return [_card(r) for r in rows]


async def overdue_visits(engine: AsyncEngine, on: date) -> list[dict[str, Any]]:
    """Per district, the active cards whose quarterly follow-up is past due on `on`."""
    by_district: dict[str, list[dict[str, Any]]] = {}
    for card in await active_cards(engine):
        if overdue(card, on):
            by_district.setdefault(card.district, []).append(
                {
                    "card_id": card.card_id,
                    "file_id": card.file_id,
                    "member_id": card.member_id,
                    "due": visit_due(card).isoformat(),
                    "last_visit": card.last_visit.isoformat() if card.last_visit else None,
                }
            )
    return [{"district": d, "overdue": v} for d, v in sorted(by_district.items())]


def in_scope(column: Any, scope: str) -> ColumnElement[bool]:
    """The rows of an org path and everything under it (`zhoushan` holds its districts)."""
    under = scope.replace("_", "\\_") + "/%"  # '_' is a LIKE wildcard; org paths hold no '%'
    return or_(column == scope, column.like(under, escape="\\"))


async def files_in(
    engine: AsyncEngine, scope: str, page: int, page_size: int
) -> tuple[list[dict[str, Any]], int]:
    """A page of the files of a district (or of every district of a city), and how many in all."""
    where = in_scope(files_view.c.district, scope)
    query = (
        select(files_view)
        .where(where)
        .order_by(files_view.c.opened_on, files_view.c.file_id)
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    async with engine.connect() as conn:
        count = select(func.count()).select_from(files_view).where(where)
        total = (await conn.execute(count)).scalar_one()
        rows = await conn.execute(query)
        return [dict(r._mapping) for r in rows], int(total)
