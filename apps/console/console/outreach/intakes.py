"""Requests and complaints (诉求受理): record one (a hardship request goes to relief, an
enrolment request to members, by itself), follow its status, close it with an outcome."""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from ..clients import Platform, ServiceError
from ..i18n.labels import CHANNELS, INTAKE_KINDS, INTAKE_OUTCOMES, INTAKE_STATUSES
from ..members_lookup import find_member
from ..reports.excel import ListColumn
from ..web.deps import CurrentSession, PlatformDep
from ..web.desk_pages import my_district, refused
from ..web.errors import redirect
from ..web.forms import Problems
from ..web.lists import EXPORT_CAP, count_stated, every_row, list_download, list_scope
from .common import page, require

router = APIRouter()
WITH_AMOUNT: Final = ("wages_recovered", "relief_granted")
ROUTED: Final = {"relief": "已转交困难帮扶", "members": "已转交会员服务（入会）"}
NOTICES: Final = {"recorded": "诉求已受理。", "closed": "诉求已办结。"}


@router.get("/intakes")
async def intakes(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    status: str = "",
    page_no: Annotated[int, Query(alias="page", ge=1)] = 1,
) -> Response:
    require(session, "read")
    status = status if status in INTAKE_STATUSES else ""
    found = await platform.outreach.intakes(status or None, page_no)
    context = {
        "found": found,
        "status": status,
        "status_options": [(k, v[0]) for k, v in INTAKE_STATUSES.items()],
        "routed": ROUTED,
        "export_href": "/outreach/intakes.xlsx" + (f"?status={status}" if status else ""),
        "export_cap": EXPORT_CAP,
    }
    return page(request, "outreach/intakes.html", context, tab="intakes")


INTAKE_COLUMNS: Final = (
    ListColumn("受理日期", "date", 12),
    ListColumn("诉求类型", width=12),
    ListColumn("受理渠道", width=12),
    ListColumn("状态", width=10),
    ListColumn("转交", width=22),
    ListColumn("办理结果", width=16),
)


@router.get("/intakes.xlsx")
async def intakes_excel(
    request: Request, session: CurrentSession, platform: PlatformDep, status: str = ""
) -> Response:
    """The intakes the list shows with its status filter, every page (at most EXPORT_CAP),
    newest first as the list, as an Excel file: the list's columns only (no member, no
    summary: the list shows neither)."""
    require(session, "read")
    status = status if status in INTAKE_STATUSES else ""
    query = {"status": status} if status else {}
    total, found = await every_row(platform.outreach.intakes, "items", query)
    orgs = getattr(request.state, "orgs", {})
    org = list_scope(session)  # outreach lists the caller's district (a city admin's: the city)
    stated = [
        ("范围", orgs.get(org, org)),
        ("办理状态", INTAKE_STATUSES[status][0] if status else "全部"),
        ("排序", "受理日期从新到旧"),
        count_stated(total, len(found)),
    ]
    rows = [
        [
            i.get("recorded_on"),
            INTAKE_KINDS.get(i.get("kind", ""), i.get("kind", "")),
            CHANNELS.get(i.get("channel", ""), i.get("channel", "")),
            INTAKE_STATUSES.get(i.get("status", ""), (i.get("status", ""), ""))[0],
            ROUTED.get(i.get("routed_to") or ""),
            INTAKE_OUTCOMES.get(i.get("outcome") or "", i.get("outcome")),
        ]
        for i in found
    ]
    title = "诉求受理清单"
    return list_download(request, title, stated, INTAKE_COLUMNS, rows, "outreach-intakes.xlsx")


def _new_page(
    request: Request, values: dict[str, str], problems: Problems | None = None, status: int = 200
) -> Response:
    context = {
        "values": values,
        "problems": problems,
        "kind_options": list(INTAKE_KINDS.items()),
        "channel_options": [(k, v) for k, v in CHANNELS.items() if k != "session"],
    }
    return page(request, "outreach/intake_new.html", context, tab="intakes", status_code=status)


@router.get("/intakes/new")
async def new_intake(request: Request, session: CurrentSession) -> Response:
    require(session, "serve")
    return _new_page(request, {"kind": "", "channel": "station", "ref": "", "summary": ""})


@router.post("/intakes/new")
async def record(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    kind: Annotated[str, Form()] = "",
    channel: Annotated[str, Form()] = "",
    ref: Annotated[str, Form()] = "",
    summary: Annotated[str, Form()] = "",
) -> Response:
    require(session, "serve")
    values = {"kind": kind, "channel": channel, "ref": ref, "summary": summary}
    problems = Problems()
    if kind not in INTAKE_KINDS:
        problems.add("kind", "请选择诉求类型")
    if channel not in CHANNELS or channel == "session":
        problems.add("channel", "请选择受理渠道")
    body: dict[str, Any] = {"kind": kind, "channel": channel, "district": my_district(session)}
    if channel == "station" and session.identity.org.count("/") == 2:
        body["place"] = session.identity.org
    if ref.strip():
        found = await find_member(platform, ref)
        if found.problem:
            problems.add("ref", found.problem)
        body["member_id"] = found.member_id
    if summary.strip():
        body["summary"] = summary.strip()
    if not problems:
        try:
            made = await platform.outreach.record_intake(body)
        except ServiceError as exc:
            refused(problems, exc)
        else:
            return redirect(request, f"/outreach/intakes/{made['intake_id']}?notice=recorded")
    return _new_page(request, values, problems, 422)


async def _intake_page(
    request: Request,
    platform: Platform,
    intake_id: str,
    problems: Problems | None = None,
    notice: str = "",
    status_code: int = 200,
) -> Response:
    intake = await platform.outreach.intake(intake_id)
    context = {
        "i": intake,
        "problems": problems,
        "notice": NOTICES.get(notice, ""),
        "routed": ROUTED,
        "outcome_options": list(INTAKE_OUTCOMES.items()),
    }
    return page(request, "outreach/intake.html", context, tab="intakes", status_code=status_code)


@router.get("/intakes/{intake_id}")
async def intake_page(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    intake_id: str,
    notice: str = "",
) -> Response:
    require(session, "read")
    return await _intake_page(request, platform, intake_id, notice=notice)


@router.post("/intakes/{intake_id}/close")
async def close(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    intake_id: str,
    outcome: Annotated[str, Form()] = "",
    amount: Annotated[str, Form()] = "",
) -> Response:
    require(session, "serve")
    problems = Problems()
    if outcome not in INTAKE_OUTCOMES:
        problems.add("outcome", "请选择办理结果")
    body: dict[str, Any] = {"outcome": outcome}
    written = amount.strip().replace(",", "").lstrip("¥")
    if outcome in WITH_AMOUNT:
        if not written:
            problems.add("amount", "请填写金额（元），如 追回欠薪 12000.00")
        body["amount"] = written
    if not problems:
        try:
            await platform.outreach.close_intake(intake_id, body)
        except ServiceError as exc:
            refused(problems, exc)
        else:
            return redirect(request, f"/outreach/intakes/{intake_id}?notice=closed")
    return await _intake_page(request, platform, intake_id, problems, status_code=422)
