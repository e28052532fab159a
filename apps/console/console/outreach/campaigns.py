"""Benefit campaigns (普惠活动, e.g. 夏送清凉): the list with the stock left, a new campaign
(officers: their district; a city admin: city-wide), and a campaign's page where a clerk hands
an item to a member found by card or ID number — one item a member, city-wide: a second is
refused saying where and when the first was."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Final

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from ..auth.sessions import Session
from ..clients import Platform, ServiceError
from ..i18n.labels import CAMPAIGN_KINDS, MEMBER_CATEGORIES
from ..members_lookup import find_member
from ..reports.excel import ListColumn
from ..web.deps import CurrentSession, PlatformDep
from ..web.desk_pages import my_district, today
from ..web.errors import redirect
from ..web.formats import date_cn
from ..web.forms import Problems
from ..web.lists import EXPORT_CAP, count_stated, every_row, list_download, list_scope
from .common import page, require

router = APIRouter()
NOTICES: Final = {"opened": "普惠活动已发布。"}
CAMPAIGN_ID_HELP: Final = "小写字母、数字和“-”，如 cool-2026；发布后不能更改"


@router.get("/campaigns")
async def campaigns(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    page_no: Annotated[int, Query(alias="page", ge=1)] = 1,
) -> Response:
    require(session, "read")
    found = await platform.outreach.campaigns(page=page_no)
    context = {"found": found, "export_href": "/outreach/campaigns.xlsx", "export_cap": EXPORT_CAP}
    return page(request, "outreach/campaigns.html", context, tab="campaigns")


CAMPAIGN_COLUMNS: Final = (
    ListColumn("活动名称", width=24),
    ListColumn("类型", width=12),
    ListColumn("开始日期", "date", 12),
    ListColumn("结束日期", "date", 12),
    ListColumn("范围", width=24),
    ListColumn("库存", "count", 10),
    ListColumn("已发放", "count", 10),
    ListColumn("剩余", "count", 10),
)


@router.get("/campaigns.xlsx")
async def campaigns_excel(
    request: Request, session: CurrentSession, platform: PlatformDep
) -> Response:
    """The campaigns the list shows (the city's and the caller's district's), every page (at
    most EXPORT_CAP), newest first as the list, with the stock, handed out and left, as an
    Excel file; counts are numbers."""
    require(session, "read")
    total, found = await every_row(platform.outreach.campaigns, "items", {})
    orgs = getattr(request.state, "orgs", {})
    org = list_scope(session)
    scope = orgs.get(org, org)
    if "/" in org:  # a district sees the city-wide campaigns and those naming it
        scope += "（含全市性活动）"
    stated = [("范围", scope), ("排序", "开始日期从新到旧"), count_stated(total, len(found))]
    rows = [
        [
            c.get("name"),
            CAMPAIGN_KINDS.get(c.get("kind", ""), c.get("kind", "")),
            c.get("starts_on"),
            c.get("ends_on"),
            "、".join(orgs.get(d, d) for d in c.get("districts") or []) or "全市",
            c.get("stock"),
            c.get("handed_out"),
            c.get("remaining"),
        ]
        for c in found
    ]
    title = "普惠活动清单"
    return list_download(request, title, stated, CAMPAIGN_COLUMNS, rows, "outreach-campaigns.xlsx")


def _new_page(
    request: Request, values: dict[str, Any], problems: Problems | None = None, status: int = 200
) -> Response:
    context = {
        "values": values,
        "problems": problems,
        "kind_options": list(CAMPAIGN_KINDS.items()),
        "category_options": list(MEMBER_CATEGORIES.items()),
    }
    return page(request, "outreach/campaign_new.html", context, tab="campaigns", status_code=status)


@router.get("/campaigns/new")
async def new_campaign(request: Request, session: CurrentSession) -> Response:
    require(session, "manage")
    start = today(request)
    values = {"campaign_id": "", "name": "", "kind": "", "stock": "", "categories": []}
    values |= {"starts_on": start.isoformat(), "ends_on": ""}
    return _new_page(request, values)


@router.post("/campaigns/new")
async def open_campaign(
    request: Request, session: CurrentSession, platform: PlatformDep
) -> Response:
    require(session, "manage")
    form = await request.form()
    values: dict[str, Any] = {k: str(form.get(k, "")).strip() for k in (
        "campaign_id", "name", "kind", "stock", "starts_on", "ends_on"
    )}  # fmt: skip
    values["categories"] = [str(c) for c in form.getlist("categories") if c in MEMBER_CATEGORIES]
    problems = Problems()
    if not values["campaign_id"]:
        problems.add("campaign_id", f"请填写活动编号（{CAMPAIGN_ID_HELP}）")
    if not values["name"]:
        problems.add("name", "请填写活动名称，如 2026年夏送清凉")
    if values["kind"] not in CAMPAIGN_KINDS:
        problems.add("kind", "请选择活动类型")
    if not (values["stock"].isdigit() and int(values["stock"]) > 0):
        problems.add("stock", "请填写库存数量（份），如 500")
    for name, words in (("starts_on", "开始日期"), ("ends_on", "结束日期")):
        try:
            date.fromisoformat(values[name])
        except ValueError:
            problems.add(name, f"请选择{words}")
    if problems:
        return _new_page(request, values, problems, 422)
    identity = session.identity
    body = {
        "campaign_id": values["campaign_id"].lower(),
        "name": values["name"],
        "kind": values["kind"],
        "stock": int(values["stock"]),
        "categories": values["categories"],
        "districts": [] if identity.role == "city_admin" else [my_district(session)],
        "starts_on": values["starts_on"],
        "ends_on": values["ends_on"],
    }
    try:
        opened = await platform.outreach.open_campaign(body)
    except ServiceError as exc:
        if exc.status >= 500:
            raise
        field = {"campaign_exists": "campaign_id", "invalid_period": "ends_on"}.get(exc.code)
        if field:
            problems.add(field, exc.message)
        else:
            problems.general.append(exc.message)
        return _new_page(request, values, problems, exc.status)
    return redirect(request, f"/outreach/campaigns/{opened['campaign_id']}?notice=opened")


async def _campaign_page(
    request: Request,
    session: Session,
    platform: Platform,
    campaign_id: str,
    *,
    values: dict[str, str] | None = None,
    problems: Problems | None = None,
    notice: str = "",
    status_code: int = 200,
) -> Response:
    campaign = await platform.outreach.campaign(campaign_id)
    points = []
    if session.identity.role in ("clerk", "district_officer"):
        points = [(p["point"], p["name"]) for p in (await platform.outreach.points())["items"]]
    context = {
        "point_options": points,
        "c": campaign,
        "values": values or {"ref": "", "category": "", "point": ""},
        "problems": problems,
        "notice": notice,
        "category_options": [
            (k, v)
            for k, v in MEMBER_CATEGORIES.items()
            if not campaign["categories"] or k in campaign["categories"]
        ],
        "may_serve": session.identity.role in ("clerk", "district_officer"),
    }
    template = "outreach/campaign.html"
    return page(request, template, context, tab="campaigns", status_code=status_code)


@router.get("/campaigns/{campaign_id}")
async def campaign_page(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    campaign_id: str,
    notice: str = "",
) -> Response:
    require(session, "read")
    words = NOTICES.get(notice, "")
    return await _campaign_page(request, session, platform, campaign_id, notice=words)


@router.post("/campaigns/{campaign_id}/hand-out")
async def hand_out(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    campaign_id: str,
    ref: Annotated[str, Form()] = "",
    category: Annotated[str, Form()] = "",
    point: Annotated[str, Form()] = "",
) -> Response:
    """One item to the member, at the service point chosen (one of the district's)."""
    require(session, "serve")
    values = {"ref": ref, "category": category, "point": point}
    problems = Problems()
    if not point:
        problems.add("point", "请选择发放站点")
    if category not in MEMBER_CATEGORIES:
        problems.add("category", "请选择会员类别（按会员出示的证件核对）")
    found = await find_member(platform, ref)
    if found.problem:
        problems.add("ref", found.problem)
    notice = ""
    if not problems:
        body = {
            "member_id": found.member_id,
            "point": point,
            "member_category": category,
        }
        try:
            given = await platform.outreach.hand_out(campaign_id, body)
            notice = f"已发放 1 份，剩余 {given['remaining']} 份。"
            values = {"ref": "", "category": category, "point": point}
        except ServiceError as exc:
            if exc.status >= 500:
                raise
            problems.general.append(_refusal(request, exc))
    return await _campaign_page(
        request,
        session,
        platform,
        campaign_id,
        values=values,
        problems=problems,
        notice=notice,
        status_code=422 if problems else 200,
    )


def _refusal(request: Request, exc: ServiceError) -> str:
    """The service's refusal in Chinese; a second item says where and when the first was."""
    if exc.code == "already_received" and exc.details.get("point"):
        point = str(exc.details["point"])
        where = str(exc.details.get("point_name") or point)
        when = date_cn(exc.details.get("on"), request.app.state.settings.timezone)
        return f"该会员已于{when}在{where}领取过本次活动的物品，每人限领一份。"
    return exc.message
