"""Claims: filed at a service point, resubmitted after a return, read one by one or as a
list within the caller's jurisdiction, approved, rejected, returned and paid."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from union_events.auth import permitted
from union_events.errors import DomainError, NotFound
from union_events.http_deps import PageNo, PageSize, check_period
from union_events.ids import canonical_member_id
from union_events.orgs import validate_org_path
from union_events.published.vocabularies import ClaimStatus

from ..app import filing, handlers
from ..app.queries import claims_with_times
from ..projections.claims_list import SORTS, ClaimFilter
from .answers import Accepted, ClaimOut, ClaimPage
from .deps import (
    ClaimsDep,
    Context,
    CurrentPrincipal,
    Today,
    actor_of,
    authorize,
    authorize_read,
    list_scope,
    load_claim,
    may_decide,
)
from .schemas import (
    ApproveIn,
    ClaimIn,
    PaymentIn,
    RejectIn,
    ResubmissionIn,
    ReturnIn,
    invoices_of,
)
from .shown import claim_out, claim_page

router = APIRouter(tags=["claims"])
# A claim's status, or the approval queue (assessed claims waiting for an officer).
Status = Literal[ClaimStatus, "awaiting_approval"]
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


@router.post("/claims", status_code=202, response_model=Accepted)
async def file(
    body: ClaimIn, c: ClaimsDep, who: CurrentPrincipal, today: Today, ctx: Context
) -> dict[str, Any]:
    """File a claim at a service point; it is checked, assessed, maybe approved."""
    authorize(who, "claims.file", body.service_point)
    state = await filing.file_claim(
        c,
        member_id=canonical_member_id(body.member_id),
        service_point=body.service_point,
        plan_id=body.plan_id,
        admitted_on=body.admitted_on,
        discharged_on=body.discharged_on,
        invoices=invoices_of(body.invoices),
        major_disease=body.major_disease,
        today=today,
        ctx=ctx,
        documents=tuple(body.documents),
        actor=actor_of(who),
    )
    return {"claim_id": state.claim_id, "status": state.status}


@router.post("/claims/{claim_id}/resubmission", status_code=202, response_model=Accepted)
async def resubmit(
    claim_id: str,
    body: ResubmissionIn,
    c: ClaimsDep,
    who: CurrentPrincipal,
    today: Today,
    ctx: Context,
) -> dict[str, Any]:
    """Resubmit a claim returned for correction: the same claim id with corrected dates,
    invoices and documents, checked again (deadline, invoices city-wide, eligibility, benefit)."""
    returned = await load_claim(c, claim_id)
    point = body.service_point or returned.service_point
    authorize(who, "claims.file", point)
    if point != returned.service_point:  # elsewhere: only where the caller may see the claim
        await authorize_read(who, c, returned, today)
    state = await filing.resubmit_claim(
        c,
        claim_id,
        service_point=body.service_point,
        admitted_on=body.admitted_on,
        discharged_on=body.discharged_on,
        invoices=invoices_of(body.invoices),
        documents=tuple(body.documents),
        major_disease=body.major_disease,
        today=today,
        ctx=ctx,
        actor=actor_of(who),
    )
    return {"claim_id": state.claim_id, "status": state.status}


@router.get("/claims/{claim_id}", response_model=ClaimOut)
async def get_claim(
    claim_id: str, c: ClaimsDep, who: CurrentPrincipal, today: Today
) -> dict[str, Any]:
    """A claim, all a receipt and a review need: status, dates, invoices, documents, the
    benefit's working and the caps applied, who filed, approved, paid, rejected or returned it
    and why (the timeline), where it was paid and by which district on behalf of which."""
    [(state, times)] = await claims_with_times(c.store, [claim_id])
    if not times:
        raise NotFound(f"no claim {claim_id}", code="claim_not_found")
    await authorize_read(who, c, state, today)
    return claim_out(state, times)


@router.post("/claims/{claim_id}/approve", response_model=ClaimOut)
async def approve(
    claim_id: str,
    c: ClaimsDep,
    who: CurrentPrincipal,
    today: Today,
    ctx: Context,
    body: ApproveIn | None = None,
) -> dict[str, Any]:
    """Approve an assessed claim above the automatic threshold (district officer)."""
    await may_decide(who, c, claim_id)
    officer = body.officer if body and body.officer else who.subject
    return claim_out(await handlers.approve(c, claim_id, officer, today, ctx, actor=actor_of(who)))


@router.post("/claims/{claim_id}/reject", response_model=ClaimOut)
async def reject(
    claim_id: str, body: RejectIn, c: ClaimsDep, who: CurrentPrincipal, today: Today, ctx: Context
) -> dict[str, Any]:
    """Reject a claim with a reason (and a code)."""
    await may_decide(who, c, claim_id)
    rejected = await handlers.reject(
        c, claim_id, body.code, body.reason, today, ctx, actor=actor_of(who)
    )
    return claim_out(rejected)


@router.post("/claims/{claim_id}/return", response_model=ClaimOut)
async def return_claim(
    claim_id: str, body: ReturnIn, c: ClaimsDep, who: CurrentPrincipal, today: Today, ctx: Context
) -> dict[str, Any]:
    """Return the claim to the filer for correction: a return reason's code (e.g.
    `missing_documents`, default `other`) and a note on what to correct (e.g. a missing 分割单)."""
    await may_decide(who, c, claim_id)
    returned = await handlers.return_to_filer(
        c, claim_id, body.reason, today, ctx, actor=actor_of(who), code=body.code
    )
    return claim_out(returned)


@router.post("/claims/{claim_id}/payment", response_model=ClaimOut)
async def payment(
    claim_id: str, body: PaymentIn, c: ClaimsDep, who: CurrentPrincipal, today: Today, ctx: Context
) -> dict[str, Any]:
    """Pay an approved claim at a service point: 409 if paid, 403 if pooling forbids.
    The paying point must lie in the caller's jurisdiction; pooling decides the rest."""
    authorize(who, "claims.pay", body.service_point)
    paid = await handlers.pay(c, claim_id, body.service_point, today, ctx, actor=actor_of(who))
    return claim_out(paid)


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
    if filed_from is not None and filed_to is not None:
        check_period(filed_from, filed_to, ("filed_from", "filed_to"))
    if district is not None:
        district = validate_org_path(district, depth=2, what="district")
        authorize(who, "claims.read", district, owner_member_id=None)
    if service_point is not None:
        authorize(who, "claims.read", service_point, owner_member_id=None)
    query = ClaimFilter(
        scope=list_scope(who),
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
    return await claim_page(c, query, page, size)
