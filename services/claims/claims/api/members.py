"""A member's claims, as the desks look them up: the member's own list, the approved claims a
paying point may pay today, and what is left of a plan year's annual cap."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from union_events.auth import permitted
from union_events.errors import NotFound
from union_events.http_deps import PageNo, PageSize
from union_events.ids import canonical_member_id
from union_events.money import ZERO, yuan
from union_events.orgs import validate_org_path

from ..app import facts
from ..app.handlers import load_rules
from ..app.queries import claims_by_id
from ..domain.pooling import may_pay
from ..projections.claims_list import ClaimFilter, claim_ids
from .answers import ClaimPage, PayableClaims, UsageOut
from .deps import ClaimsDep, CurrentPrincipal, Today, authorize, list_scope
from .shown import claim_out, claim_page

router = APIRouter(tags=["claims"])


@router.get("/members/{member_id}/claims", response_model=ClaimPage)
async def claims_of_member(
    member_id: str,
    c: ClaimsDep,
    who: CurrentPrincipal,
    page: PageNo = 1,
    size: PageSize = 50,
) -> dict[str, Any]:
    """A member's claims, newest first: the member's own, or those within the caller's
    jurisdiction (filed, insured or paid there)."""
    member_id = canonical_member_id(member_id)
    if who.role == "member":
        authorize(who, "claims.read", None, owner_member_id=member_id)
    permitted(who, "claims.read")
    return await claim_page(c, ClaimFilter(scope=list_scope(who), member_id=member_id), page, size)


@router.get("/members/{member_id}/payable-claims", response_model=PayableClaims)
async def payable_claims(
    member_id: str,
    c: ClaimsDep,
    who: CurrentPrincipal,
    today: Today,
    service_point: Annotated[str, Query(max_length=200, description="the paying point")],
) -> dict[str, Any]:
    """The member's approved claims that `service_point` may pay today, city-wide: what the
    paying desk looks up when a member insured in another district comes with their card
    (the pooling rule decides, as on payment)."""
    authorize(who, "claims.pay", validate_org_path(service_point, depth=3, what="service point"))
    member_id = canonical_member_id(member_id)
    query = ClaimFilter(scope=who.city, member_id=member_id, status="approved")
    _, ids = await claim_ids(c.store.engine, query, 1, 500)
    payable = []
    for claim in await claims_by_id(c.store, ids):
        rules = await load_rules(c.store, claim.plan_id or "", claim.year or 0)
        insuring = claim.insuring_district or ""
        if rules is not None and may_pay(rules, today, service_point, insuring):
            payable.append(claim_out(claim))
    return {"total": len(payable), "claims": payable}


@router.get("/members/{member_id}/plans/{plan_id}/years/{year}/usage", response_model=UsageOut)
async def usage_of_member(
    member_id: str,
    plan_id: str,
    year: Annotated[int, Path(ge=2000, le=2100, examples=[2026])],
    c: ClaimsDep,
    who: CurrentPrincipal,
) -> dict[str, Any]:
    """What the member has used of the plan year's annual cap and what remains: the member's
    own, or any member's for staff who read claims (as the paying desk's look-up: a member
    insured in another district may come to any service point; the figures name no one).
    Read from the usage stream (`usage-<member>-<plan>-<year>`), as the assessment reads it;
    404 `unknown_plan_year` without rules."""
    member_id = canonical_member_id(member_id)
    if who.role == "member":
        authorize(who, "claims.read", None, owner_member_id=member_id)
    permitted(who, "claims.read")
    rules = await load_rules(c.store, plan_id, year)
    if rules is None:
        raise NotFound(f"the plan {plan_id} has no rules for {year}", code="unknown_plan_year")
    used = facts.used(await c.store.read_stream(facts.usage_stream(member_id, plan_id, year)))
    return {
        "member_id": member_id,
        "plan_id": plan_id,
        "year": year,
        "annual_cap": str(yuan(rules.annual_cap)),
        "used": str(yuan(used)),
        "remaining": str(yuan(max(rules.annual_cap - used, ZERO))),
    }
