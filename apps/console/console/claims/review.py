"""Review (审核): the district's approval queue, oldest first with its age (导出 Excel: every
page of it, with the age in days); a claim opened,
approved, rejected with a coded reason and a note, or returned to the filer with a coded reason
(退回原因) and a note on what to correct."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Final

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from ..clients import ServiceError
from ..i18n.labels import REJECTION_CODES, RETURN_REASONS, label
from ..reports.excel import ListColumn
from ..web.deps import CurrentSession, PlatformDep
from ..web.desk_pages import my_district, today
from ..web.errors import redirect
from ..web.forms import Problems
from ..web.lists import EXPORT_CAP, count_stated, every_row, list_download
from .common import hospital_names, people, require, timeline
from .common import page as claims_page

router = APIRouter()
PAGE_SIZE: Final = 20
NOTICES: Final = {
    "approved": "已审核通过，申请人可到服务站点领取互助金。",
    "rejected": "已作不予支付处理。",
    "returned": "已退回补正，受理站点将通知会员补齐材料后重新提交。",
}


@router.get("/review")
async def queue(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    notice: str = "",
    page: int = 1,
) -> Response:
    """The claims waiting for approval in the officer's district, oldest first."""
    require(session, "review")
    found = await platform.claims.claims(
        status="awaiting_approval", district=my_district(session), page=page, size=PAGE_SIZE
    )
    now = today(request)
    rows = [  # the queue is a view; each item is the claim as it stands (decided a moment ago?)
        {**c, "waited": (now - date.fromisoformat(c["filed_on"])).days}
        for c in found["claims"]
        if c["status"] == "assessed"
    ]
    context = {
        "found": found,
        "rows": rows,
        "notice": NOTICES.get(notice, ""),
        "export_href": "/claims/review.xlsx",
        "export_cap": EXPORT_CAP,
    }
    return claims_page(request, "claims/queue.html", context, tab="review")


QUEUE_COLUMNS: Final = (
    ListColumn("受理日期", "date", 12),
    ListColumn("已等待（天）", "count", 12),
    ListColumn("申请号", width=38),
    ListColumn("保障年度", width=16),
    ListColumn("受理站点", width=22),
    ListColumn("参保区县", width=16),
    ListColumn("发票金额", "yuan", 14),
    ListColumn("核算互助金", "yuan", 14),
)


@router.get("/review.xlsx")
async def queue_excel(request: Request, session: CurrentSession, platform: PlatformDep) -> Response:
    """The queue as it shows, every page (at most EXPORT_CAP), oldest first, with how many
    days each has waited, as an Excel file."""
    require(session, "review")
    district = my_district(session)
    query = {"status": "awaiting_approval", "district": district}
    total, found = await every_row(platform.claims.claims, "claims", query)
    waiting = [c for c in found if c["status"] == "assessed"]  # as the page: decided just now?
    now = today(request)
    orgs = getattr(request.state, "orgs", {})
    stated = [
        ("范围", orgs.get(district, district) + "（本区县受理或参保的）"),
        ("状态", "待审核（超过自动审核金额）"),
        ("排序", "受理日期从旧到新，先受理的先审核"),
        ("已等待", f"按 {now:%Y-%m-%d} 计算的天数"),
        count_stated(total - (len(found) - len(waiting)), len(waiting)),
    ]
    rows = [
        [
            c["filed_on"],
            (now - date.fromisoformat(c["filed_on"])).days,
            c["claim_id"],
            f"{label(c.get('plan_id'))} {c.get('year') or ''}".strip(),
            orgs.get(c.get("service_point"), c.get("service_point") or ""),
            orgs.get(c.get("insuring_district"), c.get("insuring_district") or ""),
            c.get("claimed"),
            c.get("benefit"),
        ]
        for c in waiting
    ]
    title = "待审核申请清单"
    return list_download(request, title, stated, QUEUE_COLUMNS, rows, "claims-review-queue.xlsx")


async def _review_page(
    request: Request,
    platform: PlatformDep,
    claim_id: str,
    problems: Problems | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    claim = await platform.claims.claim(claim_id)
    names = await people(request, claim)
    context = {
        "claim": claim,
        "steps_done": timeline(claim, names, getattr(request.state, "orgs", {})),
        "codes": list(REJECTION_CODES.items()),
        "return_reasons": list(RETURN_REASONS.items()),
        "problems": problems,
        "values": values or {},
        "waited": (today(request) - date.fromisoformat(claim["filed_on"])).days,
    }
    hospitals = await hospital_names(platform)
    return claims_page(
        request,
        "claims/review.html",
        context,
        tab="review",
        hospitals=hospitals,
        status_code=status_code,
    )


@router.get("/review/{claim_id}")
async def review_page(
    request: Request, session: CurrentSession, platform: PlatformDep, claim_id: str
) -> Response:
    """One claim to decide: its facts, the benefit's working, and the three decisions."""
    require(session, "review")
    return await _review_page(request, platform, claim_id)


@router.post("/review/{claim_id}")
async def decide(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    claim_id: str,
    decision: Annotated[str, Form()] = "",
    code: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    return_code: Annotated[str, Form()] = "",
) -> Response:
    require(session, "review")
    problems = Problems()
    values = {"code": code, "note": note, "reason": reason, "return_code": return_code}
    if decision == "reject":
        if code not in REJECTION_CODES:
            problems.add("code", "请选择不予支付的原因")
        if not note.strip():
            problems.add("note", "请填写说明：申请人将看到这段说明")
    elif decision == "return":
        if return_code not in RETURN_REASONS:
            problems.add("return_code", "请选择退回原因")
        if not reason.strip():
            problems.add("reason", "请填写补正说明：写明需要补正什么，如：缺少分割单")
    elif decision != "approve":
        problems.general.append("请选择审核结果")
    if not problems:
        try:
            if decision == "approve":
                await platform.claims.approve(claim_id)
            elif decision == "reject":
                await platform.claims.reject(claim_id, code, note.strip())
            else:
                await platform.claims.return_to_filer(claim_id, return_code, reason.strip())
        except ServiceError as exc:
            if exc.status >= 500:
                raise
            problems.general.append(exc.message)
    if problems:
        return await _review_page(request, platform, claim_id, problems, values, 422)
    done = {"approve": "approved", "reject": "rejected", "return": "returned"}[decision]
    return redirect(request, f"/claims/review?notice={done}")
