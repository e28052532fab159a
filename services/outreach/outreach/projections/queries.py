"""Reads over the outreach views (eventually consistent with the log): lists and the figures
union reports quote ("177 sessions, 60,000 person-times")."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine
from union_events.money import contract_row

from ..domain.monthly import HeldSession, PointFact, month_bounds, points_missing_sessions
from .lists import campaign_districts_view, campaigns_view
from .lists import intake_list_view as intakes_view
from .views import handouts_view, points_view, sessions_view

Row = Mapping[str, Any]


def in_org(column: Any, org: str) -> ColumnElement[bool]:
    """A district column within `org`: the district itself, or any district of a city."""
    if "/" in org:
        return column == org  # type: ignore[no-any-return]
    return column.startswith(org + "/", autoescape=True)  # type: ignore[no-any-return]


def campaigns_for(org: str) -> list[ColumnElement[bool]]:
    """The campaigns a caller of `org` deals with: a city's all (and those with no city
    recorded); a district's, those for all its city's districts or naming it."""
    c, d = campaigns_view.c, campaign_districts_view.c
    city = org.split("/")[0]
    in_city = c.city.in_([city, ""])
    if "/" not in org:
        return [in_city]
    named = exists().where(d.campaign_id == c.campaign_id, d.district == org)
    return [in_city, or_(c.districts == "", named)]


async def district_report(
    engine: AsyncEngine, district: str, start: date, end: date
) -> dict[str, Any]:
    """Sessions held, person-times served, intakes by kind and outcome, items handed out: of
    a district (or, given a city, of all its districts)."""
    s, i, h = sessions_view.c, intakes_view.c, handouts_view.c
    held = (in_org(s.district, district), s.status == "held", s.on >= start, s.on <= end)
    async with engine.connect() as conn:
        sessions, members, anonymous = (
            await conn.execute(
                select(func.count(), func.sum(s.members), func.sum(s.anonymous)).where(*held)
            )
        ).one()
        recorded = (in_org(i.district, district), i.recorded_on >= start, i.recorded_on <= end)
        by_kind = await conn.execute(
            select(i.kind, func.count()).where(*recorded).group_by(i.kind).order_by(i.kind)
        )
        closed = (in_org(i.district, district), i.closed_on >= start, i.closed_on <= end)
        by_outcome = await conn.execute(
            select(i.outcome, func.count(), func.sum(i.amount))
            .where(*closed)
            .group_by(i.outcome)
            .order_by(i.outcome)
        )
        in_period = (in_org(h.district, district), h.on >= start, h.on <= end)
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


async def missed_sessions(engine: AsyncEngine, month: str, org: str) -> list[str]:
    """The fixed roving points of `org` (a district, or a city's districts) with no held
    session in `month` (YYYY-MM)."""
    first, last = month_bounds(month)
    p, s = points_view.c, sessions_view.c
    point_query = select(p.point, p.kind, p.registered_on, p.open).where(p.kind == "roving_point")
    held_query = select(s.point, s.on).where(s.status == "held", s.on >= first, s.on <= last)
    point_query = point_query.where(in_org(p.district, org))
    held_query = held_query.where(in_org(s.district, org))
    async with engine.connect() as conn:
        facts = [PointFact(*row) for row in await conn.execute(point_query)]
        held = [HeldSession(*row) for row in await conn.execute(held_query)]
    return points_missing_sessions(facts, held, month)


async def page(
    engine: AsyncEngine,
    table: Any,
    where: list[Any],
    order: list[Any],
    number: int,
    size: int,
    shape: Callable[[Row], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A page of rows and the total; each row in `shape` (the single read's fields), if given."""
    query = select(table).where(*where).order_by(*order).limit(size).offset((number - 1) * size)
    async with engine.connect() as conn:
        total = await conn.scalar(select(func.count()).select_from(table).where(*where))
        rows = [dict(r._mapping) for r in await conn.execute(query)]
    items = [shape(row) for row in rows] if shape else [contract_row(row) for row in rows]
    return {"total": int(total or 0), "page": number, "size": size, "items": items}


def _money(amount: Any) -> str | None:
    return None if amount is None else f"{Decimal(amount).quantize(Decimal('0.01')):.2f}"
