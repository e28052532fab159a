"""Reads over the outreach views (eventually consistent with the log): lists and the figures
union reports quote ("177 sessions, 60,000 person-times")."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from union_events.money import contract_row

from ..domain.monthly import HeldSession, PointFact, month_bounds, points_missing_sessions
from .views import handouts_view, intakes_view, points_view, sessions_view


async def district_report(
    engine: AsyncEngine, district: str, start: date, end: date
) -> dict[str, Any]:
    """Sessions held, person-times served, intakes by kind and outcome, items handed out."""
    s, i, h = sessions_view.c, intakes_view.c, handouts_view.c
    held = (s.district == district, s.status == "held", s.on >= start, s.on <= end)
    async with engine.connect() as conn:
        sessions, members, anonymous = (
            await conn.execute(
                select(func.count(), func.sum(s.members), func.sum(s.anonymous)).where(*held)
            )
        ).one()
        recorded = (i.district == district, i.recorded_on >= start, i.recorded_on <= end)
        by_kind = await conn.execute(
            select(i.kind, func.count()).where(*recorded).group_by(i.kind).order_by(i.kind)
        )
        closed = (i.district == district, i.closed_on >= start, i.closed_on <= end)
        by_outcome = await conn.execute(
            select(i.outcome, func.count(), func.sum(i.amount))
            .where(*closed)
            .group_by(i.outcome)
            .order_by(i.outcome)
        )
        in_period = (h.district == district, h.on >= start, h.on <= end)
        items = await conn.execute(
            select(h.campaign_id, func.count())
            .where(*in_period)
            .group_by(h.campaign_id)
            .order_by(h.campaign_id)
        )
        return {
            "district": district,
            "from": start.isoformat(),
            "to": end.isoformat(),
            "sessions_held": int(sessions),
            "person_times": int(members or 0) + int(anonymous or 0),
            "member_check_ins": int(members or 0),
            "anonymous_check_ins": int(anonymous or 0),
            "intakes_by_kind": {kind: int(n) for kind, n in by_kind},
            "intakes_closed_by_outcome": {
                outcome: {"count": int(n), "amount": _money(amount)}
                for outcome, n, amount in by_outcome
            },
            "items_handed_out": {campaign: int(n) for campaign, n in items},
        }


async def missed_sessions(engine: AsyncEngine, month: str, district: str | None) -> list[str]:
    """The fixed roving points with no held session in `month` (YYYY-MM)."""
    first, last = month_bounds(month)
    p, s = points_view.c, sessions_view.c
    point_query = select(p.point, p.kind, p.registered_on, p.open).where(p.kind == "roving_point")
    held_query = select(s.point, s.on).where(s.status == "held", s.on >= first, s.on <= last)
    if district is not None:
        point_query = point_query.where(p.district == district)
        held_query = held_query.where(s.district == district)
    async with engine.connect() as conn:
        facts = [PointFact(*row) for row in await conn.execute(point_query)]
        held = [HeldSession(*row) for row in await conn.execute(held_query)]
    return points_missing_sessions(facts, held, month)


async def page(
    engine: AsyncEngine, table: Any, where: list[Any], order: list[Any], number: int, size: int
) -> dict[str, Any]:
    query = select(table).where(*where).order_by(*order).limit(size).offset((number - 1) * size)
    async with engine.connect() as conn:
        total = await conn.scalar(select(func.count()).select_from(table).where(*where))
        items = [contract_row(dict(r._mapping)) for r in await conn.execute(query)]
    return {"total": int(total or 0), "page": number, "size": size, "items": items}


def _money(amount: Any) -> str | None:
    return None if amount is None else f"{Decimal(amount).quantize(Decimal('0.01')):.2f}"
