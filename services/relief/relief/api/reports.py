"""The monthly subsidy run and the reports (figures per district; overdue follow-ups)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from ..app.run import run_month
from ..domain.jurisdiction import Actor, may_access
from ..projections.files_view import overdue_visits
from ..projections.grants_view import district_report
from .deps import Context, CurrentPrincipal, Reader, ReliefDep, ReportReader, Today, authorize
from .schemas import RunIn

router = APIRouter(tags=["subsidies and reports"])


@router.post("/subsidy-runs")
async def subsidy_run(
    body: RunIn, r: ReliefDep, who: CurrentPrincipal, today: Today, ctx: Context
) -> dict[str, Any]:
    """Pay every active card its monthly subsidy for `month`; a rerun pays nobody twice.
    Answers the counts: cards, paid, skipped (paid before). City-wide: a city admin's or a
    system's job."""
    authorize(who, "relief.run", None)
    return asdict(await run_month(r, body.month, today, ctx))


@router.get("/reports/districts")
async def districts(
    r: ReliefDep,
    actor: ReportReader,
    start: Annotated[date, Query(alias="from")],
    end: Annotated[date, Query(alias="to")],
) -> list[dict[str, Any]]:
    """Per district and period: person-times and amounts by kind (grants, card subsidies)."""
    return _visible(actor, await district_report(r.store.engine, start, end))


@router.get("/reports/overdue-visits")
async def overdue(
    r: ReliefDep, actor: Reader, today: Today, on: date | None = None
) -> list[dict[str, Any]]:
    """Active cards whose quarterly follow-up visit is overdue, by district."""
    return _visible(actor, await overdue_visits(r.store.engine, on or today))


def _visible(actor: Actor, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of the districts the caller may see."""
    return [row for row in rows if may_access(actor.org, row["district"], actor.role)]
