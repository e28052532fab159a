"""Budgets and relief applications: apply → approve or reject → disburse → receipt."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ..app import budgets
from ..app import grants as handlers
from ..domain.application import Application
from ..domain.jurisdiction import authorize
from ..projections.grants_view import applications_of
from .deps import Applicant, BudgetSetter, Context, Decider, Payer, Reader, ReliefDep, Today
from .schemas import (
    AmountIn,
    ApplicationIn,
    ApproveIn,
    BudgetIn,
    Kind,
    ReasonIn,
    money,
    plain,
)

router = APIRouter(tags=["relief grants"])


def budget_out(district: str, year: int, kind: str, budget: Any) -> dict[str, Any]:
    return plain(
        {
            "district": district,
            "year": year,
            "kind": kind,
            "amount": budget.total,
            "committed": budget.committed,
            "left": budget.left if budget.total is not None else None,
        }
    )


@router.put("/budgets")
async def put_budget(
    body: BudgetIn, r: ReliefDep, actor: BudgetSetter, ctx: Context
) -> dict[str, Any]:
    """Set a district's budget for a year and kind (never below what is committed)."""
    budget = await budgets.set_budget(
        r,
        district=body.district,
        year=body.year,
        kind=body.kind,
        amount=money(body.amount),
        actor=actor,
        ctx=ctx,
    )
    return budget_out(body.district, body.year, body.kind, budget)


@router.get("/budgets")
async def get_budget(
    r: ReliefDep,
    actor: Reader,
    district: Annotated[str, Query(min_length=3, max_length=200)],
    year: Annotated[int, Query(ge=2000, le=2100)],
    kind: Kind,
) -> dict[str, Any]:
    authorize(actor, district)
    return budget_out(district, year, kind, await budgets.get_budget(r, district, year, kind))


def application_out(a: Application) -> dict[str, Any]:
    keys = (
        "application_id",
        "status",
        "member_id",
        "district",
        "kind",
        "intake_id",
        "source",
        "drafted_on",
        "amount",
        "approved_amount",
        "rejection_reason",
        "disbursed_on",
        "receipt_on",
    )
    return plain({k: getattr(a, k) for k in keys})


@router.post("/applications", status_code=201)
async def apply(
    body: ApplicationIn, r: ReliefDep, actor: Applicant, today: Today, ctx: Context
) -> dict[str, Any]:
    """Apply for a grant (living assistance, major illness, education, festival condolence)."""
    state = await handlers.apply(
        r,
        member_id=body.member_id,
        district=body.district,
        kind=body.kind,
        amount=money(body.amount),
        actor=actor,
        today=today,
        ctx=ctx,
    )
    return application_out(state)


@router.get("/applications")
async def list_applications(
    r: ReliefDep,
    actor: Reader,
    district: Annotated[str, Query(min_length=3, max_length=200)],
    status: str | None = None,
) -> dict[str, Any]:
    authorize(actor, district)
    where = {"district": district} | ({"status": status} if status else {})
    return {"applications": await applications_of(r.store.engine, **where)}


@router.get("/applications/{application_id}")
async def get_application(application_id: str, r: ReliefDep, actor: Reader) -> dict[str, Any]:
    return application_out(await handlers.get_application(r, application_id, actor))


@router.post("/applications/{application_id}/submit")
async def submit(
    application_id: str, body: AmountIn, r: ReliefDep, actor: Applicant, today: Today, ctx: Context
) -> dict[str, Any]:
    """Complete a draft (e.g. one opened from an intake) with the amount asked for."""
    state = await handlers.submit(r, application_id, money(body.amount), actor, today, ctx)
    return application_out(state)


@router.post("/applications/{application_id}/approve")
async def approve(
    application_id: str,
    r: ReliefDep,
    actor: Decider,
    today: Today,
    ctx: Context,
    body: ApproveIn | None = None,
) -> dict[str, Any]:
    """Approve a submitted application (optionally for another amount)."""
    amount = money(body.amount) if body and body.amount else None
    return application_out(await handlers.approve(r, application_id, amount, actor, today, ctx))


@router.post("/applications/{application_id}/reject")
async def reject(
    application_id: str, body: ReasonIn, r: ReliefDep, actor: Decider, today: Today, ctx: Context
) -> dict[str, Any]:
    return application_out(await handlers.reject(r, application_id, body.reason, actor, today, ctx))


@router.post("/applications/{application_id}/disburse")
async def disburse(
    application_id: str, r: ReliefDep, actor: Payer, today: Today, ctx: Context
) -> dict[str, Any]:
    """Pay an approved grant from the district's budget: 409 budget_exceeded if it would
    overspend, 409 already_disbursed if paid."""
    return application_out(await handlers.disburse(r, application_id, actor, today, ctx))


@router.post("/applications/{application_id}/receipt")
async def receipt(
    application_id: str, r: ReliefDep, actor: Payer, today: Today, ctx: Context
) -> dict[str, Any]:
    """回执: the member confirmed receiving the grant."""
    return application_out(await handlers.confirm_receipt(r, application_id, actor, today, ctx))
