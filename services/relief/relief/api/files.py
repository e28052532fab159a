"""Standards (低保标准), hardship files and their cards, follow-up visits."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query
from union_events.errors import NotFound

from ..app import files as handlers
from ..app import members
from ..app.files import Household
from ..app.relief import set_standard, standard_for
from ..domain.hardship_file import HardshipFile
from ..domain.standards import income_per_head
from ..projections.files_view import files_in
from .answers import FileOut, FilePage, ReliefMember, StandardInForce, StandardSet
from .deps import (
    Context,
    Filer,
    PageNo,
    PageSize,
    Reader,
    ReliefDep,
    StandardSetter,
    Today,
    page_out,
    scope_of,
)
from .schemas import FileIn, ReasonIn, ReviewIn, StandardIn, VisitIn, money, plain

router = APIRouter(tags=["hardship files"])
DistrictQ = Annotated[str, Query(min_length=3, max_length=200)]
OptionalDistrictQ = Annotated[
    str | None, Query(min_length=3, max_length=200, description="default: the caller's own")
]


@router.post("/standards", status_code=201, response_model=StandardSet)
async def post_standard(
    body: StandardIn, r: ReliefDep, actor: StandardSetter, ctx: Context
) -> dict[str, Any]:
    """Set a district's minimum living standard (低保标准, per person and month) from a date."""
    event = await set_standard(
        r,
        district=body.district,
        amount=money(body.amount),
        effective_from=body.effective_from,
        actor=actor,
        ctx=ctx,
    )
    return plain(
        {"district": event.district, "amount": event.amount, "effective_from": event.effective_from}
    )


@router.get("/standards", response_model=StandardInForce)
async def get_standard(
    district: DistrictQ, r: ReliefDep, _: Reader, today: Today, on: date | None = None
) -> dict[str, Any]:
    """The standard in force in a district on a date (today by default), and the card line it
    makes: a household gets a card when its income per head is below `card_line_per_head`
    (`card_factor` × the standard)."""
    day = on or today
    amount = await standard_for(r.store, district.strip("/"), day)
    if amount is None:
        raise NotFound(f"no standard for {district} on {day}", code="no_standard")
    factor = r.settings.card_factor
    line = (factor * amount).quantize(Decimal("0.01"))
    return plain(
        {
            "district": district,
            "on": day,
            "amount": amount,
            "card_factor": str(factor),
            "card_line_per_head": line,
        }
    )


def file_row(values: Mapping[str, Any]) -> dict[str, Any]:
    """One file as every read shows it (a list row and a single read alike): the per-head
    income is rounded to the fen for display only (the card rule compares exactly)."""
    card = (
        {
            "card_id": values["card_id"],
            "since": values["card_since"],
            "last_visit": values["last_visit"],
        }
        if values["card_id"]
        else None
    )
    income = Decimal(values["monthly_income"])
    return plain(
        {
            "file_id": values["file_id"],
            "member_id": values["member_id"],
            "district": values["district"],
            "status": values["status"],
            "category": values["category"],
            "household_size": values["household_size"],
            "monthly_income": income,
            "income_per_head": income_per_head(income, values["household_size"]),
            "opened_on": values["opened_on"],
            "review_due": values["review_due"],
            "card": card,
            "household_erased": bool(values["household_erased"]),
            "closed_reason": values["closed_reason"],
        }
    )


def file_out(state: HardshipFile, household: dict[str, Any] | None = None) -> dict[str, Any]:
    out = file_row(
        {
            "file_id": state.file_id,
            "member_id": state.member_id,
            "district": state.district,
            "status": state.status,
            "category": state.category,
            "household_size": state.household_size,
            "monthly_income": state.monthly_income,
            "opened_on": state.opened_on,
            "review_due": state.review_due,
            "card_id": state.card_id,
            "card_since": state.card_since,
            "last_visit": state.last_visit,
            "household_erased": state.erased,
            "closed_reason": state.closed_reason,
        }
    )
    if household is not None or state.erased:
        out["household"] = household
    return out


def _household(people: list[Any], notes: str) -> Household:
    return Household([p.model_dump(exclude_none=True) for p in people], notes)


@router.post("/files", status_code=201, response_model=FileOut, response_model_exclude_unset=True)
async def open_file(
    body: FileIn, r: ReliefDep, actor: Filer, today: Today, ctx: Context
) -> dict[str, Any]:
    """Open a hardship file (困难职工建档); the card is issued when the household qualifies."""
    state = await handlers.open_file(
        r,
        member_id=body.member_id,
        district=body.district,
        category=body.category,
        household=_household(body.household, body.notes),
        monthly_income=money(body.monthly_income),
        opened_by=body.opened_by or body.district,
        actor=actor,
        today=today,
        ctx=ctx,
    )
    return file_out(state)


@router.get("/files", response_model=FilePage, response_model_exclude_unset=True)
async def list_files(
    r: ReliefDep,
    actor: Reader,
    district: OptionalDistrictQ = None,
    page: PageNo = 1,
    size: PageSize = 50,
) -> dict[str, Any]:
    """A page of a district's hardship files, oldest first (the caller's own district when
    none is named; a city admin's: every district of the city), with `total` (共 N 条). The
    rows have the fields of `GET /files/{id}` but the household."""
    scope = scope_of(actor, district)
    rows, total = await files_in(r.store.engine, scope, page, size)
    return page_out("files", [file_row(row) for row in rows], total, page, size)


@router.get("/files/{file_id}", response_model=FileOut, response_model_exclude_unset=True)
async def get_file(file_id: str, r: ReliefDep, actor: Reader) -> dict[str, Any]:
    """A file with its household in clear (null once the member was erased)."""
    state = await handlers.get_file(r, file_id, actor)
    return file_out(state, await handlers.household_of(r, state))


@router.post("/files/{file_id}/review", response_model=FileOut, response_model_exclude_unset=True)
async def review(
    file_id: str, body: ReviewIn, r: ReliefDep, actor: Filer, today: Today, ctx: Context
) -> dict[str, Any]:
    """The annual review: new income (and household); the card is issued or withdrawn."""
    household = _household(body.household, body.notes) if body.household else None
    state = await handlers.review_file(
        r,
        file_id,
        category=body.category,
        household=household,
        monthly_income=money(body.monthly_income),
        actor=actor,
        today=today,
        ctx=ctx,
    )
    return file_out(state)


@router.post("/files/{file_id}/close", response_model=FileOut, response_model_exclude_unset=True)
async def close(
    file_id: str, body: ReasonIn, r: ReliefDep, actor: Filer, today: Today, ctx: Context
) -> dict[str, Any]:
    """Close a file with a reason (an active card is withdrawn)."""
    return file_out(await handlers.close_file(r, file_id, body.reason, actor, today, ctx))


@router.post(
    "/files/{file_id}/visits",
    status_code=201,
    response_model=FileOut,
    response_model_exclude_unset=True,
)
async def visit(
    file_id: str, body: VisitIn, r: ReliefDep, actor: Filer, today: Today, ctx: Context
) -> dict[str, Any]:
    """Record a quarterly follow-up call or visit for the file's active card."""
    state = await handlers.record_visit(r, file_id, body.on or today, body.by, actor, today, ctx)
    return file_out(state)


@router.get("/members/{member_id}", response_model=ReliefMember)
async def get_member(member_id: str, r: ReliefDep, actor: Reader) -> dict[str, Any]:
    """What relief knows of a member (heard from members): status (active, left, erased),
    district, the files, the open file and its card. 404 `unknown_member` until heard."""
    return await members.get_member(r, member_id, actor)
