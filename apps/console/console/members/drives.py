"""QR enrolment drives (扫码入会) for district officers and city admins: the list of drives, a new
drive with its targets (日过百、周过千、月达万), and a drive's page — its QR code (PNG, SVG) for the
public sign-up address, a printable A4 poster, progress against the targets as numbers and a
chart refreshed while the page is open, and the people who signed up (masked, paged)."""

from __future__ import annotations

import io
import time
from datetime import date, timedelta
from typing import Annotated, Any, Final

import segno
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from ..auth.sessions import Session
from ..clients import ServiceError
from ..i18n import label
from ..web.deps import CurrentSession, PlatformDep
from ..web.desk_pages import my_district
from ..web.errors import redirect
from ..web.forms import Problems
from ..web.pages import PageForbidden
from ..web.templating import render
from .desk import scope_of

router = APIRouter()

ROLES: Final = frozenset({"district_officer", "city_admin"})
SAMPLE_BASE: Final = "https://signup.example.invalid/join"
POLL_SECONDS: Final = 10  # the progress panel refreshes this often ...
POLL_FOR_SECONDS: Final = 15 * 60  # ... for 15 minutes after the page was opened
PAGE_SIZE: Final = 20
TREND_DAYS: Final = 14  # the daily chart's span
CAMPAIGN_ID_HELP: Final = "小写字母、数字和“-”，以字母或数字开头，如 riders-2026；开设后不能更改"
NOTICES: Final = {"opened": "扫码入会活动已开设。请下载二维码或打印海报张贴。"}
PERIODS: Final = (
    ("today", "日过百", "今日"),
    ("this_week", "周过千", "本周"),
    ("this_month", "月达万", "本月"),
)

DriveId = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]


def require(session: Session) -> None:
    if session.identity.role not in ROLES:
        raise PageForbidden(
            "扫码入会活动由区县审核人员或市总管理员开设和查看。"
            f"您的角色是“{label(session.identity.role)}”。"
        )


def signup_url(request: Request, campaign_id: str) -> tuple[str, bool]:
    """The public sign-up address a drive's QR code encodes, and whether it is only a sample
    (CONSOLE_SIGNUP_BASE_URL unset)."""
    base = str(request.app.state.settings.signup_base_url).strip()
    return f"{(base or SAMPLE_BASE).rstrip('/')}/{campaign_id}", not base


def _qr(request: Request, campaign_id: str) -> segno.QRCode:
    url, _ = signup_url(request, campaign_id)
    return segno.make_qr(url, error="m")


def tallies(progress: dict[str, Any]) -> list[dict[str, Any]]:
    """Today, this week, this month: count, target, met, and the share of the target."""
    rows = []
    for key, slogan, period in PERIODS:
        t = progress[key]
        share = round(100 * t["count"] / t["target"], 1) if t["target"] else 0.0
        rows.append({"key": key, "slogan": slogan, "period": period, **t, "share": share})
    return rows


def chart_option(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Completion of each target (percent), a line at 100%: the three periods side by side
    although their targets differ a hundredfold."""
    y_axis: dict[str, Any] = {"type": "value", "name": "完成率 %", "min": 0}
    if all(r["share"] <= 100 for r in rows):
        y_axis["max"] = 100
    return {
        "grid": {"left": 48, "right": 80, "top": 32, "bottom": 32},
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "category", "data": [f"{r['period']}（{r['slogan']}）" for r in rows]},
        "yAxis": y_axis,
        "series": [
            {
                "name": "完成率",
                "type": "bar",
                "barMaxWidth": 56,
                "label": {"show": True, "position": "top", "formatter": "{c}%"},
                "data": [
                    {
                        "value": r["share"],
                        "itemStyle": {"color": "#2e7d32" if r["met"] else "#1f6feb"},
                    }
                    for r in rows
                ],
                "markLine": {
                    "symbol": "none",
                    "label": {"formatter": "目标 100%", "position": "end"},
                    "lineStyle": {"color": "#d97706", "type": "dashed"},
                    "data": [{"yAxis": 100}],
                },
            }
        ],
    }


@router.get("/drives")
async def drives(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> Response:
    require(session)
    found = await platform.members.campaigns(scope_of(session.identity), page_no, PAGE_SIZE)
    return render(request, "members/drives.html", {"found": found}, desk="members")


async def _district_options(request: Request, session: Session, platform: Any) -> list[Any]:
    if session.identity.role != "city_admin":
        return []
    scope = scope_of(session.identity)
    districts = await platform.members.orgs(level="district")
    return [(o.path, o.name) for o in districts if o.path.startswith(scope + "/")]


def _new_page(
    request: Request,
    values: dict[str, str],
    districts: list[Any],
    problems: Problems | None = None,
    status: int = 200,
) -> Response:
    context = {
        "values": values,
        "problems": problems,
        "district_options": districts,
        "id_help": CAMPAIGN_ID_HELP,
    }
    return render(request, "members/drive_new.html", context, status_code=status, desk="members")


@router.get("/drives/new")
async def new_drive(request: Request, session: CurrentSession, platform: PlatformDep) -> Response:
    require(session)
    values = {"campaign_id": "", "name": "", "district": "", "daily_target": "100"}
    values |= {"weekly_target": "1000", "monthly_target": "10000"}
    return _new_page(request, values, await _district_options(request, session, platform))


TARGETS: Final = (
    ("daily_target", "日目标"),
    ("weekly_target", "周目标"),
    ("monthly_target", "月目标"),
)


@router.post("/drives/new")
async def open_drive(request: Request, session: CurrentSession, platform: PlatformDep) -> Response:
    require(session)
    form = await request.form()
    keys = ("campaign_id", "name", "district", *(k for k, _ in TARGETS))
    values = {k: str(form.get(k, "")).strip() for k in keys}
    districts = await _district_options(request, session, platform)
    problems = Problems()
    campaign_id = values["campaign_id"].lower()
    if not campaign_id:
        problems.add("campaign_id", f"请填写活动编号（{CAMPAIGN_ID_HELP}）")
    elif not (
        campaign_id[0].isalnum()
        and len(campaign_id) <= 64
        and all(c.isascii() and (c.isalnum() or c == "-") for c in campaign_id)
    ):
        problems.add("campaign_id", f"活动编号格式不正确：{CAMPAIGN_ID_HELP}")
    if not values["name"]:
        problems.add("name", "请填写活动名称，如 外卖骑手扫码入会")
    if session.identity.role == "city_admin":
        district = values["district"]
        if district not in dict(districts):
            problems.add("district", "请选择活动所属区县")
    else:
        district = my_district(session)
    targets: dict[str, int] = {}
    for key, words in TARGETS:
        raw = values[key]
        if raw.isdigit() and 0 < int(raw) <= 10_000_000:
            targets[key] = int(raw)
        else:
            problems.add(key, f"请填写{words}（人数，正整数）")
    if len(targets) == 3 and not (
        targets["daily_target"] <= targets["weekly_target"] <= targets["monthly_target"]
    ):
        problems.add("weekly_target", "活动目标应逐级递增：日目标 ≤ 周目标 ≤ 月目标")
    if problems:
        return _new_page(request, values, districts, problems, 422)
    body = {"campaign_id": campaign_id, "district": district, "name": values["name"], **targets}
    try:
        await platform.members.open_campaign(body)
    except ServiceError as exc:
        if exc.status >= 500 or exc.status == 401:
            raise
        field = {
            "campaign_exists": "campaign_id",
            "invalid_campaign_id": "campaign_id",
            "name_required": "name",
            "unknown_district": "district",
            "inconsistent_targets": "weekly_target",
        }.get(exc.code)
        if field:
            problems.add(field, exc.message)
        else:
            problems.general.append(exc.message)
        return _new_page(request, values, districts, problems, exc.status)
    return redirect(request, f"/members/drives/{campaign_id}?notice=opened")


def _polling(since: float) -> dict[str, Any]:
    """Whether the progress panel polls again, and the page's opening time it carries."""
    now = time.time()
    if not 0 < since <= now:
        since = now
    return {"since": int(since), "polling": now - since < POLL_FOR_SECONDS, "every": POLL_SECONDS}


def daily_option(campaign: dict[str, Any], as_of: str, days: int = TREND_DAYS) -> dict[str, Any]:
    """Sign-ups per day over the last `days` days up to `as_of`, a line at the daily target."""
    last = date.fromisoformat(as_of)
    counts = {d["on"]: d["count"] for d in campaign.get("days", [])}
    span = [last - timedelta(days=n) for n in range(days - 1, -1, -1)]
    target = campaign["daily_target"]
    return {
        "grid": {"left": 48, "right": 80, "top": 32, "bottom": 32},
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "category", "data": [f"{d.month}月{d.day}日" for d in span]},
        "yAxis": {"type": "value", "name": "入会人数", "minInterval": 1},
        "series": [
            {
                "name": "入会人数",
                "type": "bar",
                "barMaxWidth": 28,
                "data": [
                    {
                        "value": counts.get(d.isoformat(), 0),
                        "itemStyle": {
                            "color": "#2e7d32"
                            if counts.get(d.isoformat(), 0) >= target
                            else "#1f6feb"
                        },
                    }
                    for d in span
                ],
                "markLine": {
                    "symbol": "none",
                    "label": {"formatter": f"日目标 {target}", "position": "end"},
                    "lineStyle": {"color": "#d97706", "type": "dashed"},
                    "data": [{"yAxis": target}],
                },
            }
        ],
    }


async def _progress_context(platform: Any, campaign_id: str, since: float) -> dict[str, Any]:
    progress = await platform.members.campaign_progress(campaign_id)
    campaign = await platform.members.campaign(campaign_id)
    rows = tallies(progress)
    return {
        "campaign_id": campaign_id,
        "progress": progress,
        "tallies": rows,
        "option": chart_option(rows),
        "daily": daily_option(campaign, progress["as_of"]),
        "trend_days": TREND_DAYS,
        **_polling(since),
    }


@router.get("/drives/{campaign_id}")
async def drive(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    campaign_id: DriveId,
    page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
    notice: str = "",
) -> Response:
    campaign = await _readable(session, platform, campaign_id)
    signups = await platform.members.campaign_signups(campaign_id, page_no, PAGE_SIZE)
    url, sample = signup_url(request, campaign_id)
    context = {
        "c": campaign,
        "signups": signups,
        "signup_url": url,
        "sample": sample,
        "notice": NOTICES.get(notice, ""),
        **await _progress_context(platform, campaign_id, 0),
    }
    return render(request, "members/drive.html", context, desk="members")


@router.get("/drives/{campaign_id}/progress")
async def drive_progress(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    campaign_id: DriveId,
    since: Annotated[float, Query(ge=0)] = 0,
) -> Response:
    """The progress panel alone, for htmx to swap in every few seconds."""
    require(session)
    context = await _progress_context(platform, campaign_id, since)
    return render(request, "members/_drive_progress.html", context, desk="members")


@router.get("/drives/{campaign_id}/signups")
async def drive_signups(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    campaign_id: DriveId,
    page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
    since: Annotated[float, Query(ge=0)] = 0,
) -> Response:
    """The sign-ups table alone, for htmx to swap in as the progress panel is."""
    require(session)
    signups = await platform.members.campaign_signups(campaign_id, page_no, PAGE_SIZE)
    context = {"c": {"campaign_id": campaign_id}, "signups": signups, **_polling(since)}
    return render(request, "members/_drive_signups.html", context, desk="members")


OTHER_DISTRICT: Final = "该扫码入会活动属于其他区县，只能由活动所属区县的审核人员或市总管理员查看。"


async def _readable(session: Session, platform: Any, campaign_id: str) -> dict[str, Any]:
    """The campaign, after the members service said the person may read it."""
    require(session)
    try:
        return dict(await platform.members.campaign(campaign_id))
    except ServiceError as exc:
        if exc.status == 403:
            raise PageForbidden(OTHER_DISTRICT) from exc
        raise


@router.get("/drives/{campaign_id}/qr.png")
async def qr_png(
    request: Request, session: CurrentSession, platform: PlatformDep, campaign_id: DriveId
) -> Response:
    await _readable(session, platform, campaign_id)
    out = io.BytesIO()
    _qr(request, campaign_id).save(out, kind="png", scale=10, border=4)
    headers = {"Content-Disposition": f'inline; filename="qr-{campaign_id}.png"'}
    return Response(out.getvalue(), media_type="image/png", headers=headers)


@router.get("/drives/{campaign_id}/qr.svg")
async def qr_svg(
    request: Request, session: CurrentSession, platform: PlatformDep, campaign_id: DriveId
) -> Response:
    await _readable(session, platform, campaign_id)
    out = io.BytesIO()
    _qr(request, campaign_id).save(out, kind="svg", scale=10, border=4, xmldecl=True)
    headers = {"Content-Disposition": f'attachment; filename="qr-{campaign_id}.svg"'}
    return Response(out.getvalue(), media_type="image/svg+xml", headers=headers)


@router.get("/drives/{campaign_id}/poster")
async def poster(
    request: Request, session: CurrentSession, platform: PlatformDep, campaign_id: DriveId
) -> Response:
    """A printable A4 poster: the campaign's name and district, the QR code, how to join."""
    campaign = await _readable(session, platform, campaign_id)
    url, sample = signup_url(request, campaign_id)
    context = {"c": campaign, "signup_url": url, "sample": sample}
    return render(request, "members/drive_poster.html", context, desk="members")
