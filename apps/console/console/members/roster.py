"""A unit's whole roster enrolled at once for the yearly window (基层工会整体参保): the unit's
members with tick boxes, the ticked enrolled in a plan year, each row saying what happened."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from ..clients import MembersClient, ServiceError
from ..web.deps import CurrentSession, PlatformDep
from ..web.templating import render
from .desk import parse_plan_year, plan_year_options, refusal, scope_of, unit_options

router = APIRouter()
PARALLEL = 8  # enrolments in flight at once: a unit of hundreds takes seconds, not minutes


async def _roster(members: MembersClient, unit: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    page = 1
    while True:
        body = await members.members_of_unit(unit, page=page, size=500)
        rows += body["members"]
        if len(rows) >= body["total"] or not body["members"]:
            return rows
        page += 1


async def _enrol_all(
    members: MembersClient, member_ids: list[str], plan_id: str, year: int
) -> dict[str, tuple[str, str]]:
    """member id -> (outcome label, tag kind), each enrolment on its own."""
    gate = asyncio.Semaphore(PARALLEL)

    async def one(member_id: str) -> tuple[str, tuple[str, str]]:
        async with gate:
            try:
                await members.enrol(member_id, plan_id, year)
            except ServiceError as exc:
                if exc.status == 401:
                    raise
                if exc.code == "already_enrolled":
                    return member_id, ("已参保", "info")
                return member_id, (refusal(exc), "danger")
            return member_id, ("参保成功", "success")

    return dict(await asyncio.gather(*(one(i) for i in member_ids)))


@router.get("/roster")
async def roster_page(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    unit: str = "",
    plan_year: str = "",
) -> Response:
    """Choose a unit (and a plan year): its members, the active ones ticked."""
    units = await unit_options(platform.members, scope_of(session.identity))
    plan_years = await plan_year_options(platform.members)
    rows = await _roster(platform.members, unit) if unit in dict(units) else None
    context = {
        "units": units,
        "plan_years": plan_years,
        "unit": unit,
        "plan_year": plan_year or (plan_years[0][0] if plan_years else ""),
        "rows": rows,
        "ticked": None,
        "outcomes": {},
    }
    return render(request, "members/roster.html", context, desk="members")


@router.post("/roster")
async def enrol_roster(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    unit: Annotated[str, Form()] = "",
    plan_year: Annotated[str, Form()] = "",
    member: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Enrol the ticked members; the roster again with each row's outcome."""
    units = await unit_options(platform.members, scope_of(session.identity))
    plan_years = await plan_year_options(platform.members)
    ticked = list(dict.fromkeys(member or []))
    chosen = parse_plan_year(plan_year)
    error = ""
    outcomes: dict[str, tuple[str, str]] = {}
    if unit not in dict(units):
        error = "请选择基层工会。"
    elif chosen is None:
        error = "请选择保障年度。"
    elif not ticked:
        error = "请至少勾选一名会员。"
    rows = await _roster(platform.members, unit) if unit in dict(units) else None
    if not error and rows is not None:
        on_roster = {r["member_id"] for r in rows}
        outcomes = await _enrol_all(
            platform.members, [i for i in ticked if i in on_roster], *chosen
        )
        rows = await _roster(platform.members, unit)
    context = {
        "units": units,
        "plan_years": plan_years,
        "unit": unit,
        "plan_year": plan_year,
        "rows": rows,
        "ticked": set(ticked),
        "outcomes": outcomes,
        "error": error,
        "counts": _counts(outcomes),
    }
    template = "members/_roster_table.html" if request.headers.get("hx-request") else None
    return render(request, template or "members/roster.html", context, desk="members")


def _counts(outcomes: dict[str, tuple[str, str]]) -> dict[str, int]:
    kinds = [kind for _, kind in outcomes.values()]
    return {k: kinds.count(k) for k in ("success", "info", "danger")}
