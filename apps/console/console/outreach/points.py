"""Service points (服务站点): the district's points with their amenities, opening hours and
whether they are open (officers open or close them); and the report of the fixed roving points
that held no session in a month (未按月开展巡回服务), for the month the officer picks."""

from __future__ import annotations

import re
from typing import Annotated, Any, Final
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from ..clients import Platform, ServiceError
from ..i18n.labels import AMENITIES, POINT_WORDS, WEEKDAYS
from ..web.deps import CurrentSession, PlatformDep
from ..web.desk_pages import refused, today
from ..web.errors import redirect
from ..web.forms import Problems
from .common import page, require

router = APIRouter()
MONTH: Final = re.compile(r"20\d{2}-(0[1-9]|1[0-2])")
NOTICES: Final = {"opened": POINT_WORDS["opened"], "closed": POINT_WORDS["closed_now"]}


def hours_cn(hours: list[str]) -> list[str]:
    """ "mon 08:00-18:00" as 周一 08:00-18:00."""
    shown = []
    for h in hours:
        day, _, span = h.partition(" ")
        shown.append(f"{WEEKDAYS.get(day, day)} {span}".strip())
    return shown


async def _all_points(platform: Platform) -> list[dict[str, Any]]:
    return list((await platform.outreach.points(size=500))["items"])


async def _points_page(
    request: Request,
    platform: Platform,
    problems: Problems | None = None,
    notice: str = "",
    status_code: int = 200,
    changed: str = "",
) -> Response:
    listed = await _all_points(platform)
    if changed:  # the list is a read model and may lag: the changed point as its log says
        try:
            fresh = await platform.outreach.point(changed)
        except ServiceError:
            fresh = None
        if fresh is not None:
            listed = [fresh if p["point"] == changed else p for p in listed]
    points = [
        p
        | {
            "hours_cn": hours_cn(p["hours"]),
            "amenities_cn": [AMENITIES.get(a, a) for a in p["amenities"]],
        }
        for p in listed
    ]
    context = {
        "points": points,
        "problems": problems,
        "notice": NOTICES.get(notice, ""),
        "words": POINT_WORDS,
    }
    return page(request, "outreach/points.html", context, tab="points", status_code=status_code)


@router.get("/points")
async def points(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    notice: str = "",
    point: str = "",
) -> Response:
    require(session, "read")
    return await _points_page(request, platform, notice=notice, changed=point)


@router.post("/points/{point:path}/status")
async def set_status(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    point: str,
    open_: Annotated[str, Form(alias="open")] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    """Open a point again, or close it with a reason (officers and city admins)."""
    require(session, "manage")
    problems = Problems()
    opening = open_ == "true"
    if not opening and not reason.strip():
        problems.add("reason", POINT_WORDS["reason_needed"])
        return await _points_page(request, platform, problems, status_code=422)
    try:
        await platform.outreach.set_point_open(point, opening, reason.strip())
    except ServiceError as exc:
        refused(problems, exc)
        return await _points_page(request, platform, problems, status_code=exc.status)
    query = urlencode({"notice": "opened" if opening else "closed", "point": point})
    return redirect(request, f"/outreach/points?{query}")


@router.get("/missed")
async def missed(
    request: Request, session: CurrentSession, platform: PlatformDep, month: str = ""
) -> Response:
    """The fixed roving points that held no session in the month (this month by default)."""
    require(session, "report")
    problems = Problems()
    month = month.strip() or f"{today(request):%Y-%m}"
    report: dict[str, Any] | None = None
    if not MONTH.fullmatch(month):
        problems.add("month", POINT_WORDS["bad_month"])
    else:
        try:
            report = await platform.outreach.missed_sessions(month)
        except ServiceError as exc:
            refused(problems, exc)
    by_path = {p["point"]: p for p in await _all_points(platform)}
    rows = []
    for path in (report or {}).get("points", []):
        known = by_path.get(path, {})
        rows.append({"point": path, **known, "hours_cn": hours_cn(known.get("hours", []))})
    year, number = (int(x) for x in month.split("-")) if not problems else (0, 0)
    context = {
        "month": month,
        "title_month": f"{year} 年 {number} 月" if year else "",
        "rows": rows,
        "report": report,
        "problems": problems,
        "words": POINT_WORDS,
    }
    status = 422 if problems else 200
    return page(request, "outreach/missed.html", context, tab="missed", status_code=status)
