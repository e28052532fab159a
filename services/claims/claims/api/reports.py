"""Figures over a period, within the caller's jurisdiction (by default their own: a district
officer reads their district's without naming it): the settlement between districts, claims
and payments per district, rejections per district and reason."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from union_events.auth import report_scope
from union_events.http_deps import check_period
from union_events.orgs import within

from ..projections.claims_view import district_totals
from ..projections.rejections import rejections
from ..projections.settlement import settlement
from .answers import DistrictFigures, RejectionFigures, SettlementOut
from .deps import ClaimsDep, CurrentPrincipal

router = APIRouter(tags=["claims"])
OrgPath = Annotated[str | None, Query(max_length=200)]


@router.get("/settlements", response_model=SettlementOut)
async def get_settlements(
    c: ClaimsDep,
    who: CurrentPrincipal,
    start: Annotated[date, Query(alias="from")],
    end: Annotated[date, Query(alias="to")],
    district: OrgPath = None,
) -> dict[str, Any]:
    """What each district paid on behalf of each other one in a period, and net balances:
    the city's, or a district's (its flows both ways; by default the caller's own)."""
    check_period(start, end)
    return await settlement(c.store.engine, start, end, report_scope(who, district))


@router.get("/reports/districts", response_model=list[DistrictFigures])
async def district_report(
    c: ClaimsDep,
    who: CurrentPrincipal,
    start: Annotated[date, Query(alias="from")],
    end: Annotated[date, Query(alias="to")],
    district: OrgPath = None,
) -> list[dict[str, Any]]:
    """Per district and period: claims filed, reimbursements paid and amounts (the city's
    districts, or one: by default the caller's own)."""
    check_period(start, end)
    scope = report_scope(who, district)
    rows = await district_totals(c.store.engine, start, end)
    return [r for r in rows if within(r["district"], scope)]


@router.get("/reports/rejections", response_model=list[RejectionFigures])
async def rejection_report(
    c: ClaimsDep,
    who: CurrentPrincipal,
    start: Annotated[date, Query(alias="from")],
    end: Annotated[date, Query(alias="to")],
    district: OrgPath = None,
) -> list[dict[str, Any]]:
    """Per filing district and reason code: the claims rejected in the period (the city's
    districts, or one: by default the caller's own)."""
    check_period(start, end)
    return await rejections(c.store.engine, start, end, report_scope(who, district))
