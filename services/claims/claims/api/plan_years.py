"""A plan's rules for one plan year (pooling over time, 起付线, tiers, caps, deadline...), and
the sweep of the claims still waiting for an enrolment once the year's enrolment closed."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from union_events.auth import permitted
from union_events.errors import NotFound

from ..app import filing, handlers
from ..projections.claims_view import waiting_claims
from .answers import RulesOut, SweepOut
from .deps import ClaimsDep, Context, CurrentPrincipal, Today, authorize
from .schemas import RulesIn, Year, rules_shown

router = APIRouter(tags=["claims"])


@router.put("/plans/{plan_id}/years/{year}", response_model=RulesOut)
async def put_rules(
    plan_id: str, year: Year, body: RulesIn, c: ClaimsDep, who: CurrentPrincipal, ctx: Context
) -> dict[str, Any]:
    """Set a plan year's rules (pooling over time, 起付线, tiers, caps, deadline...)."""
    authorize(who, "plans.manage", None)
    saved = await handlers.set_rules(c, body.rules(plan_id, year), ctx)
    return rules_shown(saved)


@router.get("/plans/{plan_id}/years/{year}", response_model=RulesOut)
async def get_rules(
    plan_id: str, year: Year, c: ClaimsDep, who: CurrentPrincipal
) -> dict[str, Any]:
    """A plan year's rules, as set (404 `unknown_plan_year` if none are)."""
    permitted(who, "claims.read")
    rules = await handlers.load_rules(c.store, plan_id, year)
    if rules is None:
        raise NotFound(f"the plan {plan_id} has no rules for {year}", code="unknown_plan_year")
    return rules_shown(rules)


@router.post("/plans/{plan_id}/years/{year}/unenrolled-claims/rejection", response_model=SweepOut)
async def reject_unenrolled(
    plan_id: str, year: Year, c: ClaimsDep, who: CurrentPrincipal, today: Today, ctx: Context
) -> dict[str, Any]:
    """After the plan year's enrolment closed, reject the claims still waiting for an
    enrolment (`not_enrolled`). Safe to run again; 409 while enrolment is open."""
    authorize(who, "claims.sweep", None)
    waiting = await waiting_claims(c.store.engine, plan_id, year)
    return await filing.reject_unenrolled(c, plan_id, year, waiting, today, ctx)
