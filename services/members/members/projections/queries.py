"""Reads over the members views (eventually consistent with the log)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from .views import members_view, orgs_view


async def members_of_unit(
    engine: AsyncEngine, unit: str, page: int, size: int
) -> tuple[int, list[str]]:
    """How many members the unit has, and the ids of one page of them, oldest first."""
    where = members_view.c.unit == unit
    query = (
        select(members_view.c.member_id)
        .where(where)
        .order_by(members_view.c.joined_on, members_view.c.member_id)
        .limit(size)
        .offset((page - 1) * size)
    )
    async with engine.connect() as conn:
        total = await conn.scalar(select(func.count()).select_from(members_view).where(where))
        ids = [row[0] for row in await conn.execute(query)]
    return int(total or 0), ids


async def counts_per_district(engine: AsyncEngine) -> list[dict[str, Any]]:
    query = (
        select(members_view.c.district, members_view.c.status, func.count())
        .group_by(members_view.c.district, members_view.c.status)
        .order_by(members_view.c.district)
    )
    counts: dict[str, dict[str, Any]] = {}
    async with engine.connect() as conn:
        for district, status, n in await conn.execute(query):
            row = counts.setdefault(
                district, {"district": district, "active": 0, "left": 0, "erased": 0}
            )
            row[status] = int(n)
    return list(counts.values())


async def list_orgs(
    engine: AsyncEngine, level: str | None, parent: str | None
) -> list[dict[str, Any]]:
    query = select(orgs_view).order_by(orgs_view.c.path)
    if level:
        query = query.where(orgs_view.c.level == level)
    if parent:
        query = query.where(orgs_view.c.parent == parent)
    async with engine.connect() as conn:
        return [dict(r._mapping) for r in await conn.execute(query)]
