"""Files and cards as lists: by district, active cards for the monthly run, visits due."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Table, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from union_events.events import RecordedEvent

from ..domain.subsidy import ActiveCard, overdue, visit_due
from .tables import cards_view, files_view

_PREFIX = "union.relief.file."


class FilesView:
    name = "relief-files-view"
    tables: Sequence[Table] = (files_view, cards_view)

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        if not event.type.startswith(_PREFIX):
            return
        name = event.type.removeprefix(_PREFIX).rsplit(".", 1)[0]
        d, file_id = event.data, event.stream_id.removeprefix("file-")
        f, c = files_view.c, cards_view.c
        if name == "opened":
            await conn.execute(
                insert(files_view).values(
                    file_id=file_id,
                    member_id=d["member_id"],
                    district=d["district"],
                    category=d["category"],
                    status="open",
                    opened_on=date.fromisoformat(d["opened_on"]),
                    review_due=date.fromisoformat(d["review_due"]),
                )
            )
        elif name == "reviewed":
            values = {"category": d["category"], "review_due": date.fromisoformat(d["review_due"])}
            await conn.execute(update(files_view).where(f.file_id == file_id).values(**values))
        elif name == "card_issued":
            member_id, district = (
                await conn.execute(select(f.member_id, f.district).where(f.file_id == file_id))
            ).one()
            await conn.execute(
                insert(cards_view).values(
                    card_id=d["card_id"],
                    file_id=file_id,
                    member_id=member_id,
                    district=district,
                    status="active",
                    since=date.fromisoformat(d["on"]),
                )
            )
            await conn.execute(
                update(files_view).where(f.file_id == file_id).values(card_id=d["card_id"])
            )
        elif name == "card_withdrawn":
            withdrawn = {"status": "withdrawn", "withdrawn_on": date.fromisoformat(d["on"])}
            await conn.execute(
                update(cards_view).where(c.card_id == d["card_id"]).values(**withdrawn)
            )
            await conn.execute(update(files_view).where(f.file_id == file_id).values(card_id=None))
        elif name == "visit_recorded":
            on = date.fromisoformat(d["on"])
            await conn.execute(
                update(cards_view)
                .where(c.file_id == file_id, c.status == "active")
                .values(last_visit=on)
            )
        elif name == "moved":
            to = d["to_district"]
            await conn.execute(update(files_view).where(f.file_id == file_id).values(district=to))
            await conn.execute(
                update(cards_view)
                .where(c.file_id == file_id, c.status == "active")
                .values(district=to)
            )
        elif name == "closed":
            await conn.execute(
                update(files_view).where(f.file_id == file_id).values(status="closed")
            )


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


async def files_of_district(engine: AsyncEngine, district: str) -> list[dict[str, Any]]:
    query = select(files_view).where(files_view.c.district == district)
    async with engine.connect() as conn:
        rows = await conn.execute(query.order_by(files_view.c.opened_on, files_view.c.file_id))
        return [
            {k: (v.isoformat() if isinstance(v, date) else v) for k, v in r._mapping.items()}
            for r in rows
        ]
