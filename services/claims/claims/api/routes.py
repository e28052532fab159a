"""The claims HTTP API: plan rules, claims, approval, payment, settlement."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field
from union_events.auth import Principal
from union_events.commands import load
from union_events.errors import NotFound
from union_events.http_deps import PageNo, PageSize
from union_events.money import yuan

from ..app import filing, handlers
from ..app.handlers import Claims
from ..domain.claim import Claim
from ..domain.events import Invoice
from ..domain.rules import MajorDisease, PlanRules, PoolingPeriod, Tier
from ..projections.claims_view import claims_page, claims_view, district_totals, waiting_claims
from ..projections.settlement import settlement
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


class InvoiceIn(Strict):
    hospital: str = Field(min_length=1, max_length=200)
    number: str = Field(min_length=1, max_length=64)
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
    major_disease: str | None = None


class RejectIn(Strict):
    reason: str = Field(min_length=1, max_length=500)
    code: str = "other"


class ApproveIn(Strict):
    officer: str = Field(default="district_officer", min_length=1, max_length=100)


class PaymentIn(Strict):
    service_point: str = Field(min_length=1, max_length=200)


@router.put("/plans/{plan_id}/years/{year}")
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
    )
    saved = await handlers.set_rules(c, rules, ctx)
    return _jsonable(asdict(saved))


@router.post("/plans/{plan_id}/years/{year}/unenrolled-claims/rejection")
async def reject_unenrolled(
    plan_id: str, year: Year, c: ClaimsDep, who: CurrentPrincipal, today: Today, ctx: Context
) -> dict[str, Any]:
    """After the plan year's enrolment closed, reject the claims still waiting for an
    enrolment (`not_enrolled`). Safe to run again; 409 while enrolment is open."""
    authorize(who, "claims.sweep", None)
    waiting = await waiting_claims(c.store.engine, plan_id, year)
    return await filing.reject_unenrolled(c, plan_id, year, waiting, today, ctx)


@router.post("/claims", status_code=202)
async def file(
    body: ClaimIn, c: ClaimsDep, who: CurrentPrincipal, today: Today, ctx: Context
) -> dict[str, Any]:
    """File a claim at a service point; it is checked, assessed, maybe approved."""
    authorize(who, "claims.file", body.service_point)
    invoices = tuple(
        Invoice(i.hospital, i.number, yuan(i.amount), i.issued_on) for i in body.invoices
    )
    state = await filing.file_claim(
        c,
        member_id=body.member_id,
        service_point=body.service_point,
        plan_id=body.plan_id,
        admitted_on=body.admitted_on,
        discharged_on=body.discharged_on,
        invoices=invoices,
        major_disease=body.major_disease,
        today=today,
        ctx=ctx,
    )
    return {"claim_id": state.claim_id, "status": state.status}


@router.get("/claims/{claim_id}")
async def get_claim(
    claim_id: str, c: ClaimsDep, who: CurrentPrincipal, today: Today
) -> dict[str, Any]:
    """A claim: status, benefit, insuring district, where it was paid."""
    state = await _claim(c, claim_id)
    await authorize_read(who, c, state, today)
    return _claim_out(state)


async def _claim(c: Claims, claim_id: str) -> Claim:
    state, version = await load(c.store, handlers.claims, handlers.claim_stream(claim_id))
    if version == 0:
        raise NotFound(f"no claim {claim_id}", code="claim_not_found")
    return state


async def _may_decide(who: Principal, c: Claims, claim_id: str) -> None:
    """An officer of the filing point's or the insuring district's jurisdiction decides."""
    state = await _claim(c, claim_id)
    authorize_any(who, "claims.decide", (state.service_point, state.insuring_district))


@router.post("/claims/{claim_id}/approve")
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
    officer = body.officer if body else "district_officer"
    return _claim_out(await handlers.approve(c, claim_id, officer, today, ctx))


@router.post("/claims/{claim_id}/reject")
async def reject(
    claim_id: str, body: RejectIn, c: ClaimsDep, who: CurrentPrincipal, today: Today, ctx: Context
) -> dict[str, Any]:
    """Reject a claim with a reason (and a code)."""
    await _may_decide(who, c, claim_id)
    return _claim_out(await handlers.reject(c, claim_id, body.code, body.reason, today, ctx))


class ReturnIn(Strict):
    reason: str = Field(min_length=1, max_length=500)


@router.post("/claims/{claim_id}/return")
async def return_claim(
    claim_id: str, body: ReturnIn, c: ClaimsDep, who: CurrentPrincipal, today: Today, ctx: Context
) -> dict[str, Any]:
    """Return the claim to the filer for correction (e.g. a missing 分割单)."""
    await _may_decide(who, c, claim_id)
    return _claim_out(await handlers.return_to_filer(c, claim_id, body.reason, today, ctx))


@router.post("/claims/{claim_id}/payment")
async def payment(
    claim_id: str, body: PaymentIn, c: ClaimsDep, who: CurrentPrincipal, today: Today, ctx: Context
) -> dict[str, Any]:
    """Pay an approved claim at a service point: 409 if paid, 403 if pooling forbids.
    The paying point must lie in the caller's jurisdiction; pooling decides the rest."""
    authorize(who, "claims.pay", body.service_point)
    return _claim_out(await handlers.pay(c, claim_id, body.service_point, today, ctx))


@router.get("/settlements")
async def get_settlements(
    c: ClaimsDep,
    who: CurrentPrincipal,
    start: Annotated[date, Query(alias="from")],
    end: Annotated[date, Query(alias="to")],
) -> dict[str, Any]:
    """What each district paid on behalf of each other one in a period, and net balances."""
    authorize(who, "reports.read", None)
    return await settlement(c.store.engine, start, end)


def _claim_out(state: Any) -> dict[str, Any]:
    keys = (
        "claim_id",
        "status",
        "member_id",
        "service_point",
        "plan_id",
        "year",
        "claimed",
        "benefit",
        "out_of_pocket",
        "insuring_district",
        "paid_at",
        "paying_district",
        "paid_on",
        "rejection_code",
        "rejection_reason",
    )
    return _jsonable({k: getattr(state, k) for k in keys})


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


@router.get("/members/{member_id}/claims")
async def claims_of_member(
    member_id: str,
    c: ClaimsDep,
    who: CurrentPrincipal,
    page: PageNo = 1,
    size: PageSize = 50,
) -> dict[str, Any]:
    """A member's claims, newest first (the member's own, or city-wide readers)."""
    authorize(who, "claims.read", None, owner_member_id=member_id)
    return await claims_page(c.store.engine, claims_view.c.member_id == member_id, page, size)


@router.get("/claims")
async def claims_at_service_point(
    c: ClaimsDep,
    who: CurrentPrincipal,
    service_point: Annotated[str, Query(min_length=1, max_length=200)],
    role: Annotated[Literal["filed", "paid"], Query()] = "filed",
    page: PageNo = 1,
    size: PageSize = 50,
) -> dict[str, Any]:
    """Claims filed (or paid) at a service point, page by page."""
    authorize(who, "claims.read", service_point)
    column = claims_view.c.filed_at if role == "filed" else claims_view.c.paid_at
    return await claims_page(c.store.engine, column == service_point, page, size)


@router.get("/reports/districts")
async def district_report(
    c: ClaimsDep,
    who: CurrentPrincipal,
    start: Annotated[date, Query(alias="from")],
    end: Annotated[date, Query(alias="to")],
) -> list[dict[str, Any]]:
    """Per district and period: claims filed, reimbursements paid and amounts."""
    authorize(who, "reports.read", None)
    return await district_totals(c.store.engine, start, end)
