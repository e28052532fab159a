"""The claims HTTP API: plan rules, claims, approval, payment, settlement."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field
from union_events.auth import Principal, permitted
from union_events.commands import load
from union_events.errors import NotFound
from union_events.money import yuan
from union_events.published.vocabularies import RejectionCode

from ..app import filing, handlers
from ..app.handlers import Claims
from ..app.queries import claims_with_times
from ..domain.claim import Claim
from ..domain.events import DOCUMENTS, Actor, Invoice
from ..domain.rules import MajorDisease, PlanRules, PoolingPeriod, Tier
from ..projections.claims_view import waiting_claims
from .answers import Accepted, ClaimOut, RulesOut, SweepOut
from .deps import (
    ClaimsDep,
    Context,
    CurrentPrincipal,
    Today,
    authorize,
    authorize_any,
    authorize_read,
)

router = APIRouter(tags=["claims"])
Money = Annotated[str, Field(pattern=r"^\d{1,10}(\.\d{1,2})?$", examples=["3011.00"])]
Year = Annotated[int, Path(ge=2000, le=2100, examples=[2026])]  # as members enrols


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PoolingIn(Strict):
    level: Literal["district", "city"]
    effective_from: date


class TierIn(Strict):
    up_to: Money | None = None
    ratio: Annotated[str, Field(pattern=r"^(0(\.\d+)?|1(\.0+)?)$")]


class DiseaseIn(Strict):
    code: str = Field(min_length=1, max_length=64)
    lump_sum: Money


Document = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        json_schema_extra={"enum": list(DOCUMENTS)},
        description="a document handed in beside the invoices: 住院结算单 settlement_statement, "
        "出院记录 discharge_record, 分割单 split_certificate, 诊断证明 diagnosis",
    ),
]


class RulesIn(Strict):
    pooling: list[PoolingIn] = Field(min_length=1)
    deductible: Money
    tiers: list[TierIn] = Field(min_length=1)
    per_claim_cap: Money
    annual_cap: Money
    deadline_days: int = Field(ge=1, le=3650)
    auto_approve_below: Money
    major_diseases: list[DiseaseIn] = []
    enrolment_closes_on: date | None = None  # then claims of members not enrolled are rejected
    claims_close_on: date | None = Field(
        default=None,
        description="the last day a claim of the plan year may be filed (e.g. 31 March of the "
        "next year), beside deadline_days after discharge; later claims are rejected "
        "past_deadline",
    )
    required_documents: list[Document] = Field(
        default=[],
        max_length=20,
        description="the documents a claim of the plan year must be handed in with; a claim "
        "filed or resubmitted without one is rejected invalid_document (422 unknown_document "
        "for a document the desk does not take)",
    )


class InvoiceIn(Strict):
    hospital: str = Field(
        min_length=1,
        max_length=64,
        examples=["ZS-001"],
        description="the hospital's code in the city's registry (GET /hospitals)",
    )
    number: str = Field(
        min_length=1,
        max_length=64,
        description="as printed; compared without spaces, dashes, width or case",
    )
    amount: Money
    issued_on: date


class ClaimIn(Strict):
    member_id: str = Field(
        pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
        description="the member id members gave (a UUID); other text is no member",
    )
    service_point: str = Field(min_length=1, max_length=200)
    plan_id: str = Field(min_length=1, max_length=64)
    admitted_on: date
    discharged_on: date
    invoices: list[InvoiceIn] = Field(min_length=1, max_length=100)
    documents: list[Document] = Field(default=[], max_length=20)
    major_disease: str | None = None


class ResubmissionIn(Strict):
    service_point: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="where it is resubmitted; the service point it was filed at if left out",
    )
    admitted_on: date
    discharged_on: date
    invoices: list[InvoiceIn] = Field(min_length=1, max_length=100)
    documents: list[Document] = Field(default=[], max_length=20)
    major_disease: str | None = None


class RejectIn(Strict):
    reason: str = Field(min_length=1, max_length=500)
    code: RejectionCode = "other"


class ApproveIn(Strict):
    officer: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="the officer's name as the approval shows it; the token's subject if left out",
    )


class PaymentIn(Strict):
    service_point: str = Field(min_length=1, max_length=200)


@router.put("/plans/{plan_id}/years/{year}", response_model=RulesOut)
async def put_rules(
    plan_id: str, year: Year, body: RulesIn, c: ClaimsDep, who: CurrentPrincipal, ctx: Context
) -> dict[str, Any]:
    """Set a plan year's rules (pooling over time, 起付线, tiers, caps, deadline...)."""
    authorize(who, "plans.manage", None)
    rules = PlanRules(
        plan_id=plan_id,
        year=year,
        pooling=tuple(PoolingPeriod(p.level, p.effective_from) for p in body.pooling),
        deductible=yuan(body.deductible),
        tiers=tuple(Tier(yuan(t.up_to) if t.up_to else None, Decimal(t.ratio)) for t in body.tiers),
        per_claim_cap=yuan(body.per_claim_cap),
        annual_cap=yuan(body.annual_cap),
        deadline_days=body.deadline_days,
        auto_approve_below=yuan(body.auto_approve_below),
        major_diseases=tuple(MajorDisease(d.code, yuan(d.lump_sum)) for d in body.major_diseases),
        enrolment_closes_on=body.enrolment_closes_on,
        claims_close_on=body.claims_close_on,
        required_documents=tuple(body.required_documents),
    )
    saved = await handlers.set_rules(c, rules, ctx)
    return _jsonable(asdict(saved))


@router.get("/plans/{plan_id}/years/{year}", response_model=RulesOut)
async def get_rules(
    plan_id: str, year: Year, c: ClaimsDep, who: CurrentPrincipal
) -> dict[str, Any]:
    """A plan year's rules, as set (404 `unknown_plan_year` if none are)."""
    permitted(who, "claims.read")
    rules = await handlers.load_rules(c.store, plan_id, year)
    if rules is None:
        raise NotFound(f"the plan {plan_id} has no rules for {year}", code="unknown_plan_year")
    return _jsonable(asdict(rules))


@router.post("/plans/{plan_id}/years/{year}/unenrolled-claims/rejection", response_model=SweepOut)
async def reject_unenrolled(
    plan_id: str, year: Year, c: ClaimsDep, who: CurrentPrincipal, today: Today, ctx: Context
) -> dict[str, Any]:
    """After the plan year's enrolment closed, reject the claims still waiting for an
    enrolment (`not_enrolled`). Safe to run again; 409 while enrolment is open."""
    authorize(who, "claims.sweep", None)
    waiting = await waiting_claims(c.store.engine, plan_id, year)
    return await filing.reject_unenrolled(c, plan_id, year, waiting, today, ctx)


@router.post("/claims", status_code=202, response_model=Accepted)
async def file(
    body: ClaimIn, c: ClaimsDep, who: CurrentPrincipal, today: Today, ctx: Context
) -> dict[str, Any]:
    """File a claim at a service point; it is checked, assessed, maybe approved."""
    authorize(who, "claims.file", body.service_point)
    state = await filing.file_claim(
        c,
        member_id=body.member_id,
        service_point=body.service_point,
        plan_id=body.plan_id,
        admitted_on=body.admitted_on,
        discharged_on=body.discharged_on,
        invoices=_invoices(body.invoices),
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
    returned = await _claim(c, claim_id)
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
        invoices=_invoices(body.invoices),
        documents=tuple(body.documents),
        major_disease=body.major_disease,
        today=today,
        ctx=ctx,
        actor=actor_of(who),
    )
    return {"claim_id": state.claim_id, "status": state.status}


def _invoices(invoices: list[InvoiceIn]) -> tuple[Invoice, ...]:
    return tuple(Invoice(i.hospital, i.number, yuan(i.amount), i.issued_on) for i in invoices)


def actor_of(who: Principal) -> Actor:
    """Who acts, as the claim's events record it: the token's subject and role."""
    return Actor(who.subject, who.role)


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
    return _claim_out(state, times)


async def _claim(c: Claims, claim_id: str) -> Claim:
    state, version = await load(c.store, handlers.claims, handlers.claim_stream(claim_id))
    if version == 0:
        raise NotFound(f"no claim {claim_id}", code="claim_not_found")
    return state


async def _may_decide(who: Principal, c: Claims, claim_id: str) -> None:
    """An officer of the filing point's or the insuring district's jurisdiction decides."""
    state = await _claim(c, claim_id)
    authorize_any(who, "claims.decide", (state.service_point, state.insuring_district))


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
    await _may_decide(who, c, claim_id)
    officer = body.officer if body and body.officer else who.subject
    return _claim_out(await handlers.approve(c, claim_id, officer, today, ctx, actor=actor_of(who)))


@router.post("/claims/{claim_id}/reject", response_model=ClaimOut)
async def reject(
    claim_id: str, body: RejectIn, c: ClaimsDep, who: CurrentPrincipal, today: Today, ctx: Context
) -> dict[str, Any]:
    """Reject a claim with a reason (and a code)."""
    await _may_decide(who, c, claim_id)
    rejected = await handlers.reject(
        c, claim_id, body.code, body.reason, today, ctx, actor=actor_of(who)
    )
    return _claim_out(rejected)


class ReturnIn(Strict):
    reason: str = Field(min_length=1, max_length=500)


@router.post("/claims/{claim_id}/return", response_model=ClaimOut)
async def return_claim(
    claim_id: str, body: ReturnIn, c: ClaimsDep, who: CurrentPrincipal, today: Today, ctx: Context
) -> dict[str, Any]:
    """Return the claim to the filer for correction (e.g. a missing 分割单)."""
    await _may_decide(who, c, claim_id)
    returned = await handlers.return_to_filer(
        c, claim_id, body.reason, today, ctx, actor=actor_of(who)
    )
    return _claim_out(returned)


@router.post("/claims/{claim_id}/payment", response_model=ClaimOut)
async def payment(
    claim_id: str, body: PaymentIn, c: ClaimsDep, who: CurrentPrincipal, today: Today, ctx: Context
) -> dict[str, Any]:
    """Pay an approved claim at a service point: 409 if paid, 403 if pooling forbids.
    The paying point must lie in the caller's jurisdiction; pooling decides the rest."""
    authorize(who, "claims.pay", body.service_point)
    paid = await handlers.pay(c, claim_id, body.service_point, today, ctx, actor=actor_of(who))
    return _claim_out(paid)


def _claim_out(state: Claim, times: Sequence[datetime] = ()) -> dict[str, Any]:
    """The claim as its API shows it; `times`, when known, the instant of each of its events
    (a timeline step each: `at`, UTC)."""
    keys = (
        "claim_id",
        "status",
        "member_id",
        "service_point",
        "plan_id",
        "year",
        "admitted_on",
        "discharged_on",
        "filed_on",
        "resubmitted_on",
        "major_disease",
        "documents",
        "claimed",
        "benefit",
        "out_of_pocket",
        "needs_approval",
        "assessed_on",
        "approved_on",
        "approved_automatically",
        "insuring_district",
        "paid_at",
        "paying_district",
        "paid_amount",
        "paid_on",
        "rejection_code",
        "rejection_reason",
        "returned_reason",
    )
    shown = {k: getattr(state, k) for k in keys}
    rejected = state.status == "rejected"
    returned = state.status == "returned"
    shown |= {
        "invoices": [asdict(i) for i in state.invoices],
        "benefit_breakdown": _breakdown(state),
        "approving_officer": state.approved_by,
        "filed_by": _actor(state.filed_by),
        "approved_by": _actor(state.approved_by_actor),
        "paid_by": _actor(state.paid_by),
        "rejected_by": _actor(state.rejected_by),
        "rejected_on": state.closed_on if rejected else None,
        "returned_by": _actor(state.returned_by),
        "returned_on": state.closed_on if returned else None,
        "timeline": [
            {
                "what": step.what,
                "on": step.on,
                "at": times[index] if index < len(times) else None,
                "by": _actor(step.by),
                "code": step.code,
                "reason": step.reason,
            }
            for index, step in enumerate(state.timeline)
        ],
    }
    return _jsonable(shown)  # type: ignore[no-any-return]


def _actor(actor: Actor | None) -> dict[str, str] | None:
    return None if actor is None else {"subject": actor.subject, "role": actor.role}


def _breakdown(state: Claim) -> dict[str, Any] | None:
    """The benefit's working: 起付线, tier by tier, lump sum, then each cap that bit."""
    a = state.assessment
    if a is None:
        return None
    return {
        "claimed": a.claimed,
        "deductible": a.deductible,
        "reimbursable": a.reimbursable,
        "tiers": [asdict(t) for t in a.tiers],
        "lump_sum": a.lump_sum,
        "caps_applied": [asdict(cap) for cap in a.caps],
        "capped_by": a.capped_by,
        "annual_cap": a.annual_cap,
        "used_before": a.used_before,
        "benefit": a.benefit,
        "out_of_pocket": a.out_of_pocket,
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value == value.quantize(Decimal("0.01")) else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
