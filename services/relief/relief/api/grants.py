"""Budgets and relief applications: apply → approve or reject → disburse → receipt."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from union_events.published.vocabularies import ApplicationStatus

from ..app import budgets
from ..app import grants as handlers
from ..domain.application import Application
from ..domain.jurisdiction import authorize
from ..projections.grants_view import applications_in
from .answers import ApplicationOut, ApplicationPage, BudgetOut
from .deps import (
    Applicant,
    BudgetSetter,
    Context,
    Decider,
    PageNo,
    PageSize,
    Payer,
    Reader,
    ReliefDep,
    Today,
    page_out,
    scope_of,
)
from .schemas import (
    AmountIn,
    ApplicationIn,
    ApproveIn,
    BudgetIn,
    Kind,
    ReasonIn,
    RecipientIn,
    money,
    plain,
)

router = APIRouter(tags=["relief grants"])
Status = ApplicationStatus


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


@router.put("/budgets", response_model=BudgetOut)
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


@router.get("/budgets", response_model=BudgetOut)
async def get_budget(
    r: ReliefDep,
    actor: Reader,
    district: Annotated[str, Query(min_length=3, max_length=200)],
    year: Annotated[int, Query(ge=2000, le=2100)],
    kind: Kind,
) -> dict[str, Any]:
    authorize(actor, district)
    return budget_out(district, year, kind, await budgets.get_budget(r, district, year, kind))


APPLICATION_FIELDS = (
    "application_id",
    "status",  # an ApplicationStatus: drafted, submitted, approved, rejected, disbursed
    "member_id",  # the recipient; null on a draft from an intake that named nobody
    "district",
    "kind",
    "intake_id",
    "source",
    "drafted_on",
    "amount_requested",  # what was applied for (null until submitted)
    "amount_approved",  # what was approved, at most the amount requested (null until then)
    "rejection_reason",
    "disbursed_on",
    "receipt_on",
)


def application_row(values: Any) -> dict[str, Any]:
    """One application as every read shows it: a list row and a single read alike."""
    get = values.get if isinstance(values, dict) else lambda k: getattr(values, k)
    return plain({k: get(k) for k in APPLICATION_FIELDS})


def application_out(a: Application) -> dict[str, Any]:
    return application_row(a)


@router.post("/applications", status_code=201, response_model=ApplicationOut)
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


@router.get("/applications", response_model=ApplicationPage)
async def list_applications(
    r: ReliefDep,
    actor: Reader,
    district: Annotated[
        str | None, Query(min_length=3, max_length=200, description="default: the caller's own")
    ] = None,
    status: Status | None = None,
    page: PageNo = 1,
    size: PageSize = 50,
) -> dict[str, Any]:
    """A page of a district's applications, oldest first (the caller's own district when none
    is named), optionally of one status, with `total` (共 N 条); rows as in a single read."""
    scope = scope_of(actor, district)
    rows, total = await applications_in(r.store.engine, scope, status, page, size)
    return page_out("applications", [application_row(x) for x in rows], total, page, size)


@router.get("/applications/{application_id}", response_model=ApplicationOut)
async def get_application(application_id: str, r: ReliefDep, actor: Reader) -> dict[str, Any]:
    return application_out(await handlers.get_application(r, application_id, actor))


@router.put("/applications/{application_id}/recipient", response_model=ApplicationOut)
async def set_recipient(
    application_id: str,
    body: RecipientIn,
    r: ReliefDep,
    actor: Applicant,
    today: Today,
    ctx: Context,
) -> dict[str, Any]:
    """Name the member a draft is for (a member relief knows): a draft from an intake that
    named nobody cannot be submitted before."""
    state = await handlers.set_recipient(r, application_id, body.member_id, actor, today, ctx)
    return application_out(state)


@router.post("/applications/{application_id}/submit", response_model=ApplicationOut)
async def submit(
    application_id: str, body: AmountIn, r: ReliefDep, actor: Applicant, today: Today, ctx: Context
) -> dict[str, Any]:
    """Complete a draft (e.g. one opened from an intake) with the amount asked for."""
    state = await handlers.submit(r, application_id, money(body.amount), actor, today, ctx)
    return application_out(state)


@router.post("/applications/{application_id}/approve", response_model=ApplicationOut)
async def approve(
    application_id: str,
    r: ReliefDep,
    actor: Decider,
    today: Today,
    ctx: Context,
    body: ApproveIn | None = None,
) -> dict[str, Any]:
    """Approve a submitted application, for the amount applied for or less (never more: 422
    `above_requested`)."""
    amount = money(body.amount) if body and body.amount else None
    return application_out(await handlers.approve(r, application_id, amount, actor, today, ctx))


@router.post("/applications/{application_id}/reject", response_model=ApplicationOut)
async def reject(
    application_id: str, body: ReasonIn, r: ReliefDep, actor: Decider, today: Today, ctx: Context
) -> dict[str, Any]:
    return application_out(await handlers.reject(r, application_id, body.reason, actor, today, ctx))


@router.post("/applications/{application_id}/disburse", response_model=ApplicationOut)
async def disburse(
    application_id: str, r: ReliefDep, actor: Payer, today: Today, ctx: Context
) -> dict[str, Any]:
    """Pay an approved grant from the district's budget: 409 budget_exceeded if it would
    overspend, 409 already_disbursed if paid."""
    return application_out(await handlers.disburse(r, application_id, actor, today, ctx))


@router.post("/applications/{application_id}/receipt", response_model=ApplicationOut)
async def receipt(
    application_id: str, r: ReliefDep, actor: Payer, today: Today, ctx: Context
) -> dict[str, Any]:
    """回执: the member confirmed receiving the grant."""
    return application_out(await handlers.confirm_receipt(r, application_id, actor, today, ctx))
