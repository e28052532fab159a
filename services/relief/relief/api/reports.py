"""The monthly subsidy run and the reports (figures per district; overdue follow-ups)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from union_events.auth import covers
from union_events.http_deps import check_period

from ..app.run import run_month
from ..domain.jurisdiction import Actor
from ..projections.files_view import overdue_visits
from ..projections.grants_view import district_report
from .answers import DistrictFigures, OverdueVisits, RunCountsOut
from .deps import (
    Context,
    CurrentPrincipal,
    Reader,
    ReliefDep,
    ReportReader,
    Today,
    authorize,
    scope_of,
)
from .schemas import RunIn, plain

router = APIRouter(tags=["subsidies and reports"])


@router.post("/subsidy-runs", response_model=RunCountsOut)
async def subsidy_run(
    body: RunIn, r: ReliefDep, who: CurrentPrincipal, today: Today, ctx: Context
) -> dict[str, Any]:
    """Pay every member with an active card the monthly subsidy for `month`, once per member
    and month (a rerun pays nobody twice); a month that has not begun is refused (422
    `month_not_begun`). Answers the counts: cards, paid, skipped (paid before), not_members
    (cards of members who left, were erased or relief never heard of), and the money: amount
    (each), total. City-wide: a city admin's or a system's job."""
    authorize(who, "relief.run", None)
    return plain(asdict(await run_month(r, body.month, today, ctx)))


@router.get("/reports/districts", response_model=list[DistrictFigures])
async def districts(
    r: ReliefDep,
    actor: ReportReader,
    start: Annotated[date, Query(alias="from")],
    end: Annotated[date, Query(alias="to")],
    district: Annotated[
        str | None,
        Query(min_length=3, max_length=200, description="default: every district one may see"),
    ] = None,
) -> list[dict[str, Any]]:
    """Per district and period (`from` to `to`, both included): person-times and amounts by
    kind (grants on the day disbursed; card subsidies in their own month, whenever the run
    paid them). A district officer sees their own district without naming it."""
    check_period(start, end)
    scope = scope_of(actor, district) if district is not None else None  # else all it may see
    return _visible(actor, await district_report(r.store.engine, start, end, scope))


@router.get("/reports/overdue-visits", response_model=list[OverdueVisits])
async def overdue(
    r: ReliefDep, actor: Reader, today: Today, on: date | None = None
) -> list[dict[str, Any]]:
    """Active cards whose quarterly follow-up visit is overdue, by district (the districts the
    caller may see: a district officer's own)."""
    return _visible(actor, await overdue_visits(r.store.engine, on or today))


def _visible(actor: Actor, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of the districts the caller may see."""
    return [row for row in rows if covers(actor, row["district"])]
