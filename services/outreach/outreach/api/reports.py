"""Reports per district and period, and the monthly roving-point rule. A district officer's
reports are of their own district unless they name one (a city admin's: the whole city)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import AfterValidator

from ..projections.queries import district_report, missed_sessions
from .answers import DistrictReport, MissedSessions
from .deps import CurrentPrincipal, DistrictQuery, OutreachDep, check_period, jurisdiction
from .schemas import in_words

router = APIRouter(tags=["reports"])
# Years 2000-2099: a month in year 0 or 9999-12 has no calendar bounds to report on.
Month = Annotated[
    str,
    Query(examples=["2026-10"]),
    AfterValidator(
        in_words(r"20\d{2}-(0[1-9]|1[0-2])", "a month is YYYY-MM, of the years 2000 to 2099")
    ),
]


@router.get("/reports/districts", response_model=DistrictReport)
async def district_figures(
    o: OutreachDep,
    who: CurrentPrincipal,
    start: Annotated[date, Query(alias="from")],
    end: Annotated[date, Query(alias="to")],
    district: DistrictQuery = None,
) -> dict[str, Any]:
    """Sessions held, person-times, intakes by kind and outcome, items handed out: of the
    district named, else of the caller's own district (or, for a city's staff, the city)."""
    org = jurisdiction(who, "reports.read", district)
    check_period(start, end)
    return await district_report(o.store.engine, org, start, end)


@router.get("/reports/missed-sessions", response_model=MissedSessions)
async def points_that_missed(
    o: OutreachDep, who: CurrentPrincipal, month: Month, district: DistrictQuery = None
) -> dict[str, Any]:
    """The fixed roving points with no held session in the month (at least one is the rule),
    of the district named, else of the caller's own district (or city)."""
    org = jurisdiction(who, "reports.read", district)
    points = await missed_sessions(o.store.engine, month, org)
    return {"month": month, "district": org, "points": points}
