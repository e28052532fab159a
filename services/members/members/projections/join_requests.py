"""Join requests of a district, for its clerks to follow up: a read model of the members log."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Column, Date, String, Table, func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from union_events.events import RecordedEvent

from ..domain import join_requests
from .views import views

join_requests_view = Table(
    "join_requests_view",
    views,
    Column("request_id", String(64), primary_key=True),
    Column("intake_id", String(64), nullable=False, unique=True),
    Column("district", String(200), nullable=False, index=True),
    Column("place", String(200), nullable=True),
    Column("member_id", String(64), nullable=True),
    Column("received_on", Date, nullable=False, index=True),
)
_RECEIVED = join_requests.EVENT_TYPES[join_requests.JoinRequestReceived]


class JoinRequestsView:
    name = "join-requests-view"
    tables: Sequence[Table] = (join_requests_view,)
    event_types = (_RECEIVED,)  # the only ones read from the log

    async def apply(self, conn: AsyncConnection, recorded: RecordedEvent) -> None:
        if recorded.type != _RECEIVED:
            return
        event = join_requests.decode(recorded.type, recorded.data)
        await conn.execute(
            insert(join_requests_view).values(
                request_id=event.request_id,
                intake_id=event.intake_id,
                district=event.district,
                place=event.place,
                member_id=event.member_id,
                received_on=event.on,
            )
        )


async def join_requests_of(
    engine: AsyncEngine, district: str, page: int, size: int
) -> tuple[int, list[dict[str, Any]]]:
    where = join_requests_view.c.district == district
    query = (
        select(join_requests_view)
        .where(where)
        .order_by(join_requests_view.c.received_on, join_requests_view.c.request_id)
        .limit(size)
        .offset((page - 1) * size)
    )
    async with engine.connect() as conn:
        total = await conn.scalar(select(func.count()).select_from(join_requests_view).where(where))
        rows = [dict(r._mapping) for r in await conn.execute(query)]
    for row in rows:
        row["received_on"] = row["received_on"].isoformat()
    return int(total or 0), rows
