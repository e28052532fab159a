"""Budgets per district, year and kind: set (never below what is committed) and read."""

from __future__ import annotations

from decimal import Decimal

from union_events.commands import execute, load
from union_events.events import EventContext

from ..domain.budget import Budget, decide_set_budget
from ..domain.jurisdiction import Actor, authorize
from .aggregates import budget_stream, budgets
from .relief import Relief


async def set_budget(
    r: Relief,
    *,
    district: str,
    year: int,
    kind: str,
    amount: Decimal,
    actor: Actor | None,
    ctx: EventContext,
) -> Budget:
    district = district.strip().strip("/")
    authorize(actor, district)
    outcome = await execute(
        r.store,
        budgets,
        budget_stream(district, year, kind),
        lambda s: decide_set_budget(s, district=district, year=year, kind=kind, amount=amount),
        context=ctx,
    )
    return outcome.state


async def get_budget(r: Relief, district: str, year: int, kind: str) -> Budget:
    return (await load(r.store, budgets, budget_stream(district, year, kind)))[0]
