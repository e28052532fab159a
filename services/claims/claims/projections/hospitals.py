"""The city's hospital registry as a list (from `hospital.set` events), by city and district."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Column, String, Table, and_, func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from union_events.db import upsert
from union_events.events import RecordedEvent

from ..app.registry import HOSPITAL_SET
from .settlement import views

hospitals_view = Table(
    "hospitals_view",
    views,
    Column("code", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("city", String(64), nullable=False, index=True),
    Column("district", String(200), nullable=True, index=True),
)


class HospitalsView:
    name = "hospitals-view"
    tables: Sequence[Table] = (hospitals_view,)
    event_types = (HOSPITAL_SET,)  # the only ones read from the log

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        if event.type == HOSPITAL_SET:
            row = {k: event.data.get(k) for k in ("code", "name", "city", "district")}
            await upsert(conn, hospitals_view, row, ["code"])


async def hospitals_page(
    engine: AsyncEngine, city: str, district: str | None, page: int, size: int
) -> dict[str, Any]:
    """A city's hospitals (or a district's), by code."""
    c = hospitals_view.c
    where = c.city == city if district is None else and_(c.city == city, c.district == district)
    query = select(hospitals_view).where(where).order_by(c.code)
    async with engine.connect() as conn:
        total = await conn.scalar(select(func.count()).select_from(hospitals_view).where(where))
        rows = await conn.execute(query.limit(size).offset((page - 1) * size))
        items = [dict(r._mapping) for r in rows]
    return {"total": int(total or 0), "page": page, "size": size, "hospitals": items}
