"""Roving sessions (巡回服务): the district's sessions of a month, the service points they are
held at (officers register them), a new session, and a session's page where it is held and
people check in — members by card or ID number, others counted anonymously (人次)."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Annotated, Any, Final

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from ..auth.sessions import Session
from ..clients import Platform, ServiceError
from ..i18n.labels import POINT_KINDS, SERVICES
from ..members_lookup import find_member
from ..web.deps import CurrentSession, PlatformDep
from ..web.desk_pages import my_district, refused, today
from ..web.errors import redirect
from ..web.forms import Problems
from ..web.pages import PageForbidden
from .common import page, require

router = APIRouter()
NOTICES: Final = {
    "scheduled": "巡回服务已安排。",
    "point": "服务站点已登记。",
    "held": "已登记开展。",
}


def _month(request: Request, month: str) -> tuple[date, date, str]:
    try:
        year, number = (int(p) for p in month.split("-"))
        first = date(year, number, 1)
    except ValueError:
        first = today(request).replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return first, last, f"{first:%Y-%m}"


async def _sessions_page(
    request: Request,
    session: Session,
    platform: Platform,
    month: str = "",
    *,
    values: dict[str, Any] | None = None,
    problems: Problems | None = None,
    notice: str = "",
    status_code: int = 200,
) -> Response:
    first, last, month = _month(request, month)
    found = await platform.outreach.sessions(first.isoformat(), last.isoformat())
    points = (await platform.outreach.points())["items"]
    context = {
        "found": found,
        "month": month,
        "points": points,
        "point_options": [(p["point"], p["name"]) for p in points if p["open"]],
        "point_names": {p["point"]: p["name"] for p in points},
        "service_options": list(SERVICES.items()),
        "kind_options": list(POINT_KINDS.items()),
        "values": values or {"point": "", "on": today(request).isoformat(), "services": []},
        "problems": problems,
        "notice": NOTICES.get(notice, notice),
    }
    template = "outreach/sessions.html"
    return page(request, template, context, tab="sessions", status_code=status_code)


@router.get("/sessions")
async def sessions(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    month: str = "",
    notice: str = "",
) -> Response:
    require(session, "read")
    return await _sessions_page(request, session, platform, month, notice=notice)


@router.post("/sessions")
async def schedule(request: Request, session: CurrentSession, platform: PlatformDep) -> Response:
    require(session, "serve")
    form = await request.form()
    values: dict[str, Any] = {"point": str(form.get("point", "")), "on": str(form.get("on", ""))}
    values["services"] = [str(s) for s in form.getlist("services") if s in SERVICES]
    problems = Problems()
    if not values["point"]:
        problems.add("point", "请选择服务站点")
    try:
        date.fromisoformat(values["on"])
    except ValueError:
        problems.add("on", "请选择日期")
    if not values["services"]:
        problems.add("services", "请至少勾选一项服务内容")
    if not problems:
        try:
            made = await platform.outreach.schedule(values)
        except ServiceError as exc:
            refused(problems, exc)
        else:
            return redirect(request, f"/outreach/sessions/{made['session_id']}?notice=scheduled")
    return await _sessions_page(
        request, session, platform, values=values, problems=problems, status_code=422
    )


@router.post("/points")
async def register_point(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    code: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "",
) -> Response:
    """A service point of the officer's district: its code under the district's path."""
    require(session, "manage")
    if session.identity.role == "city_admin":  # a point is a district's (its path under it)
        raise PageForbidden("服务站点由所在区县的审核人员登记。")
    problems = Problems()
    code = code.strip().lower()
    if not code:
        problems.add("code", "请填写站点代码，如 ferry-square")
    if not name.strip():
        problems.add("name", "请填写站点名称，如 渡口广场巡回服务点")
    if kind not in POINT_KINDS:
        problems.add("kind", "请选择站点类型")
    if not problems:
        body = {"point": f"{my_district(session)}/{code}", "name": name.strip(), "kind": kind}
        try:
            await platform.outreach.register_point(body)
        except ServiceError as exc:
            refused(problems, exc)
        else:
            return redirect(request, "/outreach/sessions?notice=point")
    return await _sessions_page(request, session, platform, problems=problems, status_code=422)


async def _session_page(
    request: Request,
    platform: Platform,
    session_id: str,
    *,
    problems: Problems | None = None,
    notice: str = "",
    status_code: int = 200,
) -> Response:
    held = await platform.outreach.session(session_id)
    try:
        point_name = (await platform.outreach.point(held["point"]))["name"]
    except ServiceError:
        point_name = held["point"]
    context = {"s": held, "point_name": point_name, "problems": problems}
    context["notice"] = NOTICES.get(notice, notice)
    template = "outreach/session.html"
    return page(request, template, context, tab="sessions", status_code=status_code)


@router.get("/sessions/{session_id}")
async def session_page(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    session_id: str,
    notice: str = "",
) -> Response:
    require(session, "read")
    return await _session_page(request, platform, session_id, notice=notice)


@router.post("/sessions/{session_id}/held")
async def hold(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    session_id: str,
    staff: Annotated[str, Form()] = "",
) -> Response:
    require(session, "serve")
    problems = Problems()
    if not (staff.isdigit() and int(staff) > 0):
        problems.add("staff", "请填写到场工作人员人数，如 3")
    else:
        try:
            await platform.outreach.hold(session_id, int(staff))
        except ServiceError as exc:
            refused(problems, exc)
        else:
            return redirect(request, f"/outreach/sessions/{session_id}?notice=held")
    return await _session_page(request, platform, session_id, problems=problems, status_code=422)


@router.post("/sessions/{session_id}/check-ins")
async def check_in(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    session_id: str,
    ref: Annotated[str, Form()] = "",
    anonymous: Annotated[str, Form()] = "",
) -> Response:
    """A member by card or ID number, or a number of people counted anonymously."""
    require(session, "serve")
    problems = Problems()
    body: dict[str, Any] = {}
    if anonymous.strip():
        if not (anonymous.strip().isdigit() and int(anonymous) > 0):
            problems.add("anonymous", "请填写人数，如 5")
        else:
            body = {"anonymous": int(anonymous)}
    else:
        found = await find_member(platform, ref)
        if found.problem:
            problems.add("ref", found.problem)
        else:
            body = {"member_id": found.member_id}
    notice = ""
    if not problems:
        try:
            after = await platform.outreach.check_in(session_id, body)
        except ServiceError as exc:
            refused(problems, exc)
        else:
            notice = f"已签到，本场累计 {after['person_times']} 人次。"
    status = 422 if problems else 200
    return await _session_page(
        request, platform, session_id, problems=problems, notice=notice, status_code=status
    )
