"""A member's record (会员档案) and what is done to it: transfer (会籍转接), leave (退会),
rejoin (重新入会), enrol in a plan year (参保), erase personal data (删除个人信息)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import Response

from ..auth.sessions import Session
from ..clients import Platform, ServiceError
from ..web.deps import CurrentSession, PlatformDep
from ..web.desk_pages import today
from ..web.errors import redirect
from ..web.forms import Problems
from ..web.pages import PageForbidden
from ..web.templating import render
from .desk import (
    may_erase,
    member_or_refusal,
    parse_plan_year,
    plan_name,
    plan_year_options,
    refusal,
    scope_of,
    status_of,
    unit_options,
)

router = APIRouter()
NOTICES = {
    "exists": "此人已是会员（该身份证号已登记），以下是其会员档案，无需重复登记。",
    "transferred": "会籍转接已办理。",
    "left": "退会已办理。",
    "rejoined": "重新入会已办理。",
    "enrolled": "参保已办理。",
    "erased": "个人信息已删除。会籍、参保和互助金记录保留。",
}


async def _record(request: Request, session: Session, platform: Platform, member_id: str) -> Any:
    orgs = getattr(request.state, "orgs", {})
    scope = scope_of(session.identity)
    return await member_or_refusal(platform.members, member_id, orgs.get(scope, scope))


async def year_claims(request: Request, platform: Platform, member: dict[str, Any]) -> Any:
    """This year's claims of the member (those this clerk may see) and, per plan enrolled or
    claimed this year, the annual cap with what remains of it; or why they cannot be shown."""
    year = today(request).year
    plans = {e["plan_id"] for e in member["enrolments"] if int(e["year"]) == year}
    try:
        listed = (await platform.claims.claims_of_member(member["member_id"]))["claims"]
        claims = [c for c in listed if c.get("year") == year]
        plans |= {c["plan_id"] for c in claims if c.get("plan_id")}
        caps = []
        for plan_id in sorted(plans):
            try:
                caps.append(await platform.claims.usage(member["member_id"], plan_id, year))
            except ServiceError as exc:
                if exc.code != "unknown_plan_year":
                    raise
    except ServiceError as exc:
        if exc.status == 401:
            raise
        return {"year": year, "claims": [], "caps": [], "unavailable": True}
    return {"year": year, "claims": claims, "caps": caps, "unavailable": False}


async def _page(
    request: Request,
    session: Session,
    platform: Platform,
    member: dict[str, Any],
    *,
    notice: str = "",
    problems: Problems | None = None,
    status_code: int = 200,
) -> Response:
    plan_years = await plan_year_options(platform.members) if member["status"] == "active" else []
    enrolled = {f"{e['plan_id']}:{e['year']}" for e in member["enrolments"]}
    context = {
        "member": member,
        "status": status_of(member),
        "notice": NOTICES.get(notice, ""),
        "registered": notice == "registered",
        "plan_years": [(k, t) for k, t in plan_years if k not in enrolled],
        "plan_name": plan_name,
        "may_erase": may_erase(session.identity) and member["personal_data"] == "shown",
        "problems": problems,
        "this_year": await year_claims(request, platform, member),
    }
    return render(request, "members/record.html", context, status_code=status_code, desk="members")


@router.get("/{member_id}")
async def record_page(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    member_id: str,
    notice: str = "",
) -> Response:
    """The member's record: card, unit, status, unit history and enrolments; the actions."""
    member = await _record(request, session, platform, member_id)
    return await _page(request, session, platform, member, notice=notice)


@router.post("/{member_id}/enrolments")
async def enrol(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    member_id: str,
    plan_year: Annotated[str, Form()] = "",
) -> Response:
    """Enrol the member in the chosen plan year (参保)."""
    member = await _record(request, session, platform, member_id)
    problems = Problems()
    chosen = parse_plan_year(plan_year)
    if chosen is None:
        problems.add("plan_year", "请选择保障年度")
    else:
        try:
            await platform.members.enrol(member["member_id"], *chosen)
        except ServiceError as exc:
            if exc.status >= 500 or exc.status == 401:
                raise
            problems.add("plan_year", refusal(exc))
    if problems:
        return await _page(request, session, platform, member, problems=problems, status_code=422)
    return redirect(request, f"/members/{member['member_id']}?notice=enrolled")


ACTIONS = {
    "transfer": ("会籍转接", "转接到的基层工会"),
    "rejoin": ("重新入会", "入会的基层工会"),
    "leave": ("退会", ""),
}


async def _action_page(
    request: Request,
    session: Session,
    platform: Platform,
    member: dict[str, Any],
    action: str,
    *,
    values: dict[str, str] | None = None,
    problems: Problems | None = None,
) -> Response:
    # a transfer may go anywhere in the city; a rejoin is in a unit of one's own jurisdiction
    city = session.identity.org.split("/")[0]
    units = []
    if action == "transfer":
        units = [u for u in await unit_options(platform.members, city) if u[0] != member["unit"]]
    elif action == "rejoin":
        units = await unit_options(platform.members, scope_of(session.identity))
    title, unit_label = ACTIONS[action]
    context = {
        "member": member,
        "action": action,
        "title": title,
        "unit_label": unit_label,
        "units": units,
        "values": values or {},
        "problems": problems,
    }
    status = 422 if problems else 200
    return render(request, "members/action.html", context, status_code=status, desk="members")


def _action(action: str) -> str:
    if action not in ACTIONS:
        raise HTTPException(404)
    return action


@router.get("/{member_id}/{action}")
async def action_page(
    request: Request, session: CurrentSession, platform: PlatformDep, member_id: str, action: str
) -> Response:
    """The form (and check) before a transfer, a leave or a rejoin."""
    if action == "erase":
        return await erase_page(request, session, platform, member_id)
    member = await _record(request, session, platform, member_id)
    return await _action_page(request, session, platform, member, _action(action))


@router.post("/{member_id}/{action}")
async def do_action(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    member_id: str,
    action: str,
    unit: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    """Transfer, leave or rejoin; back to the record with what was done."""
    if action == "erase":
        return await erase(request, session, platform, member_id)
    member = await _record(request, session, platform, member_id)
    action = _action(action)
    problems = Problems()
    if action in ("transfer", "rejoin") and not unit:
        problems.add("unit", "请选择基层工会")
    if action == "leave" and not reason.strip():
        problems.add("reason", "请填写退会原因")
    if not problems:
        members = platform.members
        try:
            if action == "transfer":
                await members.transfer(member["member_id"], unit)
            elif action == "rejoin":
                await members.rejoin(member["member_id"], unit)
            else:
                await members.leave(member["member_id"], reason.strip())
        except ServiceError as exc:
            if exc.status >= 500 or exc.status == 401:
                raise
            problems.add("reason" if action == "leave" else "unit", refusal(exc))
    if problems:
        values = {"unit": unit, "reason": reason}
        return await _action_page(
            request, session, platform, member, action, values=values, problems=problems
        )
    done = {"transfer": "transferred", "rejoin": "rejoined", "leave": "left"}[action]
    return redirect(request, f"/members/{member['member_id']}?notice={done}")


def _eraser(session: Session) -> None:
    if not may_erase(session.identity):
        raise PageForbidden(
            "删除个人信息只能由市总管理员办理。如会员本人申请删除，请将申请转交市总管理员。"
        )


async def erase_page(
    request: Request, session: Session, platform: Platform, member_id: str
) -> Response:
    """Check before erasure: what will be destroyed for good, what stays."""
    _eraser(session)
    member = await _record(request, session, platform, member_id)
    return render(request, "members/erase.html", {"member": member}, desk="members")


async def erase(request: Request, session: Session, platform: Platform, member_id: str) -> Response:
    _eraser(session)
    member = await _record(request, session, platform, member_id)
    await platform.members.erase(member["member_id"])
    return redirect(request, f"/members/{member['member_id']}?notice=erased")
