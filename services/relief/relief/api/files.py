"""Standards (低保标准), hardship files and their cards, follow-up visits."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from union_events.errors import NotFound

from ..app import files as handlers
from ..app.files import Household
from ..app.relief import set_standard, standard_for
from ..domain.hardship_file import HardshipFile
from ..domain.jurisdiction import authorize
from ..projections.files_view import files_of_district
from .deps import Context, Filer, Reader, ReliefDep, StandardSetter, Today
from .schemas import FileIn, ReasonIn, ReviewIn, StandardIn, VisitIn, money, plain

router = APIRouter(tags=["hardship files"])
DistrictQ = Annotated[str, Query(min_length=3, max_length=200)]


@router.post("/standards", status_code=201)
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


@router.get("/standards")
async def get_standard(
    district: DistrictQ, r: ReliefDep, _: Reader, today: Today, on: date | None = None
) -> dict[str, Any]:
    """The standard in force in a district on a date (today by default)."""
    day = on or today
    amount = await standard_for(r.store, district.strip("/"), day)
    if amount is None:
        raise NotFound(f"no standard for {district} on {day}", code="no_standard")
    return plain({"district": district, "on": day, "amount": amount})


def file_out(state: HardshipFile, household: dict[str, Any] | None = None) -> dict[str, Any]:
    out = {
        "file_id": state.file_id,
        "member_id": state.member_id,
        "district": state.district,
        "status": state.status,
        "category": state.category,
        "household_size": state.household_size,
        "monthly_income": state.monthly_income,
        "opened_on": state.opened_on,
        "review_due": state.review_due,
        "card": {
            "card_id": state.card_id,
            "since": state.card_since,
            "last_visit": state.last_visit,
        }
        if state.card_id
        else None,
        "household_erased": state.erased,
        "closed_reason": state.closed_reason,
    }
    if household is not None or state.erased:
        out["household"] = household
    return plain(out)


def _household(people: list[Any], notes: str) -> Household:
    return Household([p.model_dump(exclude_none=True) for p in people], notes)


@router.post("/files", status_code=201)
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


@router.get("/files")
async def list_files(district: DistrictQ, r: ReliefDep, actor: Reader) -> dict[str, Any]:
    """A district's hardship files (no household data in lists)."""
    authorize(actor, district.strip("/"))
    return {"files": await files_of_district(r.store.engine, district.strip("/"))}


@router.get("/files/{file_id}")
async def get_file(file_id: str, r: ReliefDep, actor: Reader) -> dict[str, Any]:
    """A file with its household in clear (null once the member was erased)."""
    state = await handlers.get_file(r, file_id, actor)
    return file_out(state, await handlers.household_of(r, state))


@router.post("/files/{file_id}/review")
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


@router.post("/files/{file_id}/close")
async def close(
    file_id: str, body: ReasonIn, r: ReliefDep, actor: Filer, today: Today, ctx: Context
) -> dict[str, Any]:
    """Close a file with a reason (an active card is withdrawn)."""
    return file_out(await handlers.close_file(r, file_id, body.reason, actor, today, ctx))


@router.post("/files/{file_id}/visits", status_code=201)
async def visit(
    file_id: str, body: VisitIn, r: ReliefDep, actor: Filer, today: Today, ctx: Context
) -> dict[str, Any]:
    """Record a quarterly follow-up call or visit for the file's active card."""
    state = await handlers.record_visit(r, file_id, body.on or today, body.by, actor, ctx)
    return file_out(state)
