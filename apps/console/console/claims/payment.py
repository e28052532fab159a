"""Pay (支付): find a member's approved claims (or a claim by its number), check the answers,
pay at the clerk's own service point; then the receipt (报销凭证) as a page and as a PDF."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from union_events.orgs import district_of

from ..auth.sessions import Session
from ..clients import Platform, ServiceError
from ..i18n import label
from ..i18n.errors import chinese_message
from ..members_lookup import MEMBER_ID, Found, find_member, remember, shown_member
from ..web.deps import CurrentSession, PlatformDep
from ..web.desk_pages import today
from ..web.errors import redirect
from ..web.forms import Problems
from ..web.pages import PageForbidden
from .common import hospital_names, page, people, require, who
from .receipt_pdf import receipt_pdf

router = APIRouter()
ELSEWHERE_NAME = "外区县会员（请按会员服务卡号查找后打印，以显示姓名）"


@router.get("/pay")
async def pay_search(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    claim: str = "",
) -> Response:
    """Find what to pay by claim number (a GET: the claim number is no personal data)."""
    require(session, "pay")
    problems = Problems()
    rows: list[dict[str, Any]] = []
    if claim.strip():
        claim_id = claim.strip().lower()
        if not MEMBER_ID.fullmatch(claim_id):
            problems.add("claim", "申请号格式不正确，请按受理回执上的申请号输入")
        else:
            try:
                rows = [await platform.claims.claim(claim_id)]
            except ServiceError as exc:
                if exc.status >= 500:
                    raise
                problems.add("claim", _not_here(exc))
    context = {
        "values": {"claim": claim, "member": ""},
        "problems": problems or None,
        "rows": rows,
        "searched": bool(claim.strip()),
        "by": "claim",
    }
    return page(request, "claims/pay_search.html", context, tab="pay")


@router.post("/pay")
async def pay_search_member(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    member: Annotated[str, Form()] = "",
) -> Response:
    """A member's claims this point may pay today, found by card or ID number (in the body,
    never in a URL): a member of any district of the city (the pooling rule decides)."""
    require(session, "pay")
    problems = Problems()
    found = await find_member(platform, member)
    rows: list[dict[str, Any]] = []
    others: list[dict[str, Any]] = []
    why_none = ""
    if found.problem:
        problems.add("member", found.problem)
    else:
        await remember(request.app.state.sessions, session, found, member)
        payable = await platform.claims.payable_claims(found.member_id, session.identity.org)
        rows = payable["claims"]
        try:  # what else of theirs this clerk may see (filed, insured or paid here)
            listed = (await platform.claims.claims_of_member(found.member_id))["claims"]
        except ServiceError:
            listed = []
        ids = {c["claim_id"] for c in rows}
        others = [c for c in listed if c["claim_id"] not in ids]
        if not rows:
            why_none = await _why_none(request, session, platform, found, others)
    context = {
        "values": {"claim": "", "member": member},
        "problems": problems or None,
        "rows": rows,
        "others": others,
        "found": found,
        "why_none": why_none,
        "searched": True,
        "by": "member",
    }
    return page(request, "claims/pay_search.html", context, tab="pay")


POOLING_DISTRICT = "本计划当前为区级统筹，只有参保区县的服务站点可以支付"


async def _why_none(
    request: Request,
    session: Session,
    platform: Platform,
    found: Found,
    others: list[dict[str, Any]],
) -> str:
    """Why the member has nothing to pay here, in Chinese: district pooling, or no approved
    claim (waiting for approval, paid already, ...)."""
    orgs = getattr(request.state, "orgs", {})
    mine = district_of(session.identity.org)
    on = today(request)
    for enrolment in (found.member or {}).get("enrolments") or []:
        insuring = enrolment.get("insuring_district") or ""
        if not insuring or district_of(insuring) == mine:
            continue
        try:
            rules = await platform.claims.rules(enrolment["plan_id"], int(enrolment["year"]))
        except ServiceError:
            continue
        if pooling_on(rules, on) == "district":
            name = orgs.get(insuring, insuring)
            return (
                f"{POOLING_DISTRICT}。该会员的参保区县是{name}，"
                f"请告知会员到{name}的服务站点领取；改为市级统筹后可在本站点支付。"
            )
    if any(c["status"] == "paid" for c in others):
        return "该会员没有待支付的申请：下面的申请已经支付，不能重复支付。"
    if others:
        return "该会员没有已审核待支付的申请：申请审核通过后才能支付（办理进度见下表）。"
    return (
        "该会员没有可在本站点支付的已审核申请：申请审核通过后才能支付，已支付的不能重复支付。"
        "如会员持有受理回执，可按申请号查找。"
    )


def pooling_on(rules: dict[str, Any], on: date) -> str:
    """The plan year's pooling level on a day (the latest period begun by then)."""
    level = ""
    for period in sorted(rules.get("pooling") or [], key=lambda p: p["effective_from"]):
        if date.fromisoformat(str(period["effective_from"])) <= on:
            level = str(period["level"])
    return level


def _not_here(exc: ServiceError) -> str:
    if exc.code in ("outside_jurisdiction", "forbidden"):
        return (
            "该申请不能在本站点查询：本计划当前为区级统筹，只有受理区县和参保区县可以查询和支付。"
            "会员的申请请按会员服务卡号查找。"
        )
    return exc.message


async def _confirm(
    request: Request,
    session: CurrentSession,
    platform: Platform,
    claim_id: str,
    problems: Problems | None = None,
    status_code: int = 200,
    refusal: dict[str, Any] | None = None,
) -> Response:
    claim = await platform.claims.claim(claim_id)
    context = {
        "claim": claim,
        "member": await shown_member(
            platform, request.app.state.sessions, session, claim["member_id"]
        ),
        "problems": problems,
        "refusal": refusal,
        "paying_point": session.identity.org,
    }
    hospitals = await hospital_names(platform)
    return page(
        request,
        "claims/pay_confirm.html",
        context,
        tab="pay",
        hospitals=hospitals,
        status_code=status_code,
    )


@router.get("/pay/{claim_id}")
async def pay_confirm(
    request: Request, session: CurrentSession, platform: PlatformDep, claim_id: str
) -> Response:
    """Check before paying: who, what, how much, where."""
    require(session, "pay")
    claim = await platform.claims.claim(claim_id)
    refusal = None
    if claim["status"] == "approved":  # no button to press where the payment would be refused
        try:
            payable = await platform.claims.payable_claims(claim["member_id"], session.identity.org)
        except ServiceError:
            payable = None  # the payment itself says why, if it is refused
        if payable is not None and claim_id not in {c["claim_id"] for c in payable["claims"]}:
            refusal = _pooling_refusal(request, claim, chinese_message("pooling_forbids"))
    return await _confirm(request, session, platform, claim_id, refusal=refusal)


def _pooling_refusal(request: Request, claim: dict[str, Any], reason: str) -> dict[str, Any]:
    """Why this point may not pay the claim (district pooling) and what the clerk can do."""
    orgs = getattr(request.state, "orgs", {})
    district = claim.get("insuring_district") or ""
    name = orgs.get(district, district)
    return {
        "reason": reason,
        "todo": [
            f"该会员的参保区县是{name}：请告知会员凭会员服务卡（或受理回执）"
            f"到{name}的服务站点领取互助金。",
            "市总将本计划改为市级统筹后，可在本站点支付。",
        ],
    }


@router.post("/pay/{claim_id}")
async def pay(
    request: Request, session: CurrentSession, platform: PlatformDep, claim_id: str
) -> Response:
    """Pay at the clerk's service point; a refusal is said on the page, in Chinese."""
    require(session, "pay")
    try:
        await platform.claims.pay(claim_id, session.identity.org)
    except ServiceError as exc:
        if exc.status >= 500:
            raise
        if exc.code == "pooling_forbids":  # not a mistake to fix: this point may not pay it
            try:
                claim = await platform.claims.claim(claim_id)
            except ServiceError as unreadable:  # district pooling: not even readable here
                if unreadable.status != 403:
                    raise
                raise PageForbidden(
                    f"{exc.message}该申请不是在本区县受理的，本站点不能支付，也不能查看。"
                    "请告知会员凭会员服务卡（或受理回执）到参保区县的服务站点领取互助金。"
                ) from exc
            refusal = _pooling_refusal(request, claim, exc.message)
            return await _confirm(
                request, session, platform, claim_id, status_code=exc.status, refusal=refusal
            )
        problems = Problems()
        problems.general.append(exc.message)
        return await _confirm(request, session, platform, claim_id, problems, exc.status)
    return redirect(request, f"/claims/receipt/{claim_id}")


async def receipt_data(
    request: Request, session: Session, platform: Platform, claim: dict[str, Any]
) -> dict[str, str]:
    """What the receipt says, in words (names, not paths); the member's name and ID number
    as members shows them to this clerk (masked for another district's member)."""
    orgs = getattr(request.state, "orgs", {})
    member = await shown_member(platform, request.app.state.sessions, session, claim["member_id"])
    names = await people(request, claim)

    def org(path: str | None) -> str:
        return str(orgs.get(path or "", path or ""))

    return {
        "claim_id": claim["claim_id"],
        "member_name": (member or {}).get("name") or ELSEWHERE_NAME,
        "national_id": (member or {}).get("national_id_masked") or "—",
        "member_id": claim["member_id"],
        "plan": f"{label(claim['plan_id'])} {claim['year']} 年度",
        "claimed": claim.get("claimed") or "",
        "benefit": claim.get("paid_amount") or claim.get("benefit") or "",
        "insuring_district": org(claim.get("insuring_district")),
        "paying_district": org(claim.get("paying_district")),
        "service_point": org(claim.get("paid_at")),
        "paid_on": claim.get("paid_on") or "",
        "clerk": who(claim.get("paid_by"), names),
        "admitted_on": claim.get("admitted_on") or "",
        "discharged_on": claim.get("discharged_on") or "",
        "invoices": str(len(claim.get("invoices") or [])),
    }


@router.get("/receipt/{claim_id}")
async def receipt_page(
    request: Request, session: CurrentSession, platform: PlatformDep, claim_id: str
) -> Response:
    """The receipt, print-ready (the print stylesheet drops the menu and buttons)."""
    claim = await platform.claims.claim(claim_id)
    if claim["status"] != "paid":
        return redirect(request, f"/claims/{claim_id}")
    context = {"claim": claim, "r": await receipt_data(request, session, platform, claim)}
    return page(request, "claims/receipt.html", context, tab="pay")


@router.get("/receipt/{claim_id}/pdf")
async def receipt_download(
    request: Request, session: CurrentSession, platform: PlatformDep, claim_id: str
) -> Response:
    """The receipt as a PDF with Chinese text, to print or keep."""
    claim = await platform.claims.claim(claim_id)
    if claim["status"] != "paid":
        return redirect(request, f"/claims/{claim_id}")
    data = await receipt_data(request, session, platform, claim)
    body = receipt_pdf(data, request.app.state.settings.timezone)
    filename = f"receipt-{claim_id[:8]}.pdf"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type="application/pdf", headers=headers)
