"""Reports per district and period, and the monthly roving-point rule."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from union_events.errors import DomainError

from ..projections.queries import district_report, missed_sessions
from .deps import CurrentPrincipal, DistrictPath, OutreachDep, authorize

router = APIRouter(tags=["reports"])
# Years 2000-2099: a month in year 0 or 9999-12 has no calendar bounds to report on.
Month = Annotated[str, Query(pattern=r"^20\d{2}-(0[1-9]|1[0-2])$", examples=["2026-10"])]


@router.get("/reports/districts")
async def district_figures(
    o: OutreachDep,
    who: CurrentPrincipal,
    district: DistrictPath,
    start: Annotated[date, Query(alias="from")],
    end: Annotated[date, Query(alias="to")],
) -> dict[str, Any]:
    """Sessions held, person-times, intakes by kind and outcome, items handed out."""
    authorize(who, "reports.read", district)
    if end < start:
        raise DomainError("the period ends on or after its start", code="invalid_period")
    return await district_report(o.store.engine, district, start, end)


@router.get("/reports/missed-sessions")
async def points_that_missed(
    o: OutreachDep, who: CurrentPrincipal, month: Month, district: DistrictPath | None = None
) -> dict[str, Any]:
    """The fixed roving points with no held session in the month (at least one is the rule)."""
    authorize(who, "reports.read", district)
    points = await missed_sessions(o.store.engine, month, district)
    return {"month": month, "district": district, "points": points}
