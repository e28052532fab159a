"""Claims as lists and figures, within the caller's jurisdiction: claims by status, district,
service point and day (the approval queue among them), a member's claims, the settlement
between districts and the per-district report. Where a route takes no district, the caller's
own jurisdiction is the default (`Principal.scope`): a district officer reads their district's
without naming it."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from union_events.auth import Principal, permitted, report_scope
from union_events.errors import DomainError, NotFound
from union_events.http_deps import PageNo, PageSize, check_period
from union_events.ids import canonical_member_id
from union_events.money import ZERO, yuan
from union_events.orgs import validate_org_path, within

from ..app import facts
from ..app.handlers import load_rules
from ..app.queries import claims_by_id, claims_with_times
from ..domain.pooling import may_pay
from ..projections.claims_list import SORTS, ClaimFilter, claim_ids
from ..projections.claims_view import district_totals
from ..projections.rejections import rejections
from ..projections.settlement import settlement
from .answers import (
    ClaimPage,
    DistrictFigures,
    PayableClaims,
    RejectionFigures,
    SettlementOut,
    UsageOut,
)
from .deps import ClaimsDep, CurrentPrincipal, Today, authorize
from .routes import _claim_out

router = APIRouter(tags=["claims"])
Status = Literal[
    "filed",
    "awaiting_eligibility",
    "assessed",
    "awaiting_approval",
    "approved",
    "paid",
    "rejected",
    "returned",
]
OrgPath = Annotated[str | None, Query(max_length=200)]
STATUS_HELP = (
    "a claim's status, or `awaiting_approval`: the approval queue (assessed claims waiting "
    "for an officer), oldest first"
)
DISTRICT_HELP = "claims filed, insured or paid in this district (e.g. zhoushan/dinghai)"
SORT_HELP = (
    "the order: `filed_on`, `claimed` or `benefit`, `-` before it for descending (e.g. "
    "`-benefit`); claims without a benefit yet come last; by default newest first"
)


@router.get("/claims", response_model=ClaimPage)
async def list_claims(
    c: ClaimsDep,
    who: CurrentPrincipal,
    status: Annotated[Status | None, Query(description=STATUS_HELP)] = None,
    district: Annotated[str | None, Query(max_length=200, description=DISTRICT_HELP)] = None,
    service_point: OrgPath = None,
    role: Annotated[Literal["filed", "paid"], Query()] = "filed",
    filed_on: date | None = None,
    filed_from: Annotated[date | None, Query(description="filed on or after this day")] = None,
    filed_to: Annotated[date | None, Query(description="filed on or before this day")] = None,
    sort: Annotated[str | None, Query(max_length=40, description=SORT_HELP)] = None,
    page: PageNo = 1,
    size: PageSize = 50,
) -> dict[str, Any]:
    """Claims within the caller's jurisdiction, newest first (the approval queue oldest
    first) or in the `sort` order: by status, district, service point (filed or paid there)
    and filing day or period (`filed_from`..`filed_to`, both inclusive). Each item is what
    `GET /claims/{id}` answers."""
    permitted(who, "claims.read")
    if sort is not None and sort not in SORTS:
        raise DomainError(
            f"a list cannot be sorted by {sort!r}: sort is one of {', '.join(SORTS)}",
            code="invalid_sort",
        )
    if filed_from is not None and filed_to is not None and filed_from > filed_to:
        raise DomainError(
            f"the period cannot end before it begins (filed_from {filed_from.isoformat()} is "
            f"after filed_to {filed_to.isoformat()})",
            code="invalid_period",
        )
    if district is not None:
        district = validate_org_path(district, depth=2, what="district")
        authorize(who, "claims.read", district, owner_member_id=None)
    if service_point is not None:
        authorize(who, "claims.read", service_point, owner_member_id=None)
    query = ClaimFilter(
        scope=_scope(who),
        member_id=who.subject if who.role == "member" else None,
        status=status,
        district=district,
        service_point=service_point,
        role=role,
        filed_on=filed_on,
        filed_from=filed_from,
        filed_to=filed_to,
        sort=sort,
    )
    return await _page(c, query, page, size)


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
    if who.role == "member":
        authorize(who, "claims.read", None, owner_member_id=member_id)
    permitted(who, "claims.read")
    return await _page(c, ClaimFilter(scope=_scope(who), member_id=member_id), page, size)


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
            payable.append(_claim_out(claim))
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
    if who.role == "member":
        authorize(who, "claims.read", None, owner_member_id=member_id)
    permitted(who, "claims.read")
    member_id = canonical_member_id(member_id)
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


@router.get("/settlements", response_model=SettlementOut)
async def get_settlements(
    c: ClaimsDep,
    who: CurrentPrincipal,
    start: Annotated[date, Query(alias="from")],
    end: Annotated[date, Query(alias="to")],
    district: OrgPath = None,
) -> dict[str, Any]:
    """What each district paid on behalf of each other one in a period, and net balances:
    the city's, or a district's (its flows both ways; by default the caller's own)."""
    check_period(start, end)
    return await settlement(c.store.engine, start, end, report_scope(who, district))


@router.get("/reports/districts", response_model=list[DistrictFigures])
async def district_report(
    c: ClaimsDep,
    who: CurrentPrincipal,
    start: Annotated[date, Query(alias="from")],
    end: Annotated[date, Query(alias="to")],
    district: OrgPath = None,
) -> list[dict[str, Any]]:
    """Per district and period: claims filed, reimbursements paid and amounts (the city's
    districts, or one: by default the caller's own)."""
    check_period(start, end)
    scope = report_scope(who, district)
    rows = await district_totals(c.store.engine, start, end)
    return [r for r in rows if within(r["district"], scope)]


@router.get("/reports/rejections", response_model=list[RejectionFigures])
async def rejection_report(
    c: ClaimsDep,
    who: CurrentPrincipal,
    start: Annotated[date, Query(alias="from")],
    end: Annotated[date, Query(alias="to")],
    district: OrgPath = None,
) -> list[dict[str, Any]]:
    """Per filing district and reason code: the claims rejected in the period (the city's
    districts, or one: by default the caller's own)."""
    check_period(start, end)
    return await rejections(c.store.engine, start, end, report_scope(who, district))


async def _page(c: Any, query: ClaimFilter, page: int, size: int) -> dict[str, Any]:
    total, ids = await claim_ids(c.store.engine, query, page, size)
    items = [_claim_out(*claim) for claim in await claims_with_times(c.store, ids)]
    return {"total": total, "page": page, "size": size, "claims": items}


def _scope(who: Principal) -> str | None:
    """The org path whose claims the caller may list (None: a member, their own only)."""
    return None if who.role == "member" else who.scope
