"""The plan years members knows of (heard from claims): what an enrolment may name."""

from __future__ import annotations

from fastapi import APIRouter, Path, Query
from union_events.auth import permitted
from union_events.errors import NotFound

from ..app.handlers import find_plan_year
from ..projections.plan_years import list_plan_years
from .deps import CurrentPrincipal, MembersDep
from .schemas import PlanYearOut, PlanYears

router = APIRouter(prefix="/plan-years", tags=["plan years"])


@router.get("", response_model=PlanYears)
async def plan_years(
    m: MembersDep,
    who: CurrentPrincipal,
    plan_id: str | None = Query(None, min_length=1, max_length=64),
) -> PlanYears:
    """The plan years heard from claims (all, or one plan's), by plan and year."""
    permitted(who, "members.read")
    rows = await list_plan_years(m.store.engine, plan_id)
    return PlanYears(plan_years=[PlanYearOut(**row) for row in rows])


@router.get("/{plan_id}/{year}", response_model=PlanYearOut)
async def plan_year(
    m: MembersDep,
    who: CurrentPrincipal,
    plan_id: str = Path(min_length=1, max_length=64),
    year: int = Path(ge=2000, le=2100),
) -> PlanYearOut:
    """One plan year as members heard it (from the log: an enrolment sees the same); 404
    `unknown_plan_year` before claims set it or before members heard it."""
    permitted(who, "members.read")
    known = await find_plan_year(m.store, plan_id, year)
    if known is None:
        raise NotFound(
            f"members has not heard of plan {plan_id!r} for {year} from claims",
            code="unknown_plan_year",
        )
    return PlanYearOut(
        plan_id=known.plan_id,
        year=known.year,
        enrolment_closes_on=known.enrolment_closes_on,
        claims_close_on=known.claims_close_on,
    )
