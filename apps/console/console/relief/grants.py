"""Grants (生活救助, 大病救助, 助学金, 两节送温暖慰问金): applications from application to
receipt, with the district's budget for the year and kind beside every approval; the
district's budgets; and the city's monthly card subsidy run."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Final

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from ..auth.sessions import Session
from ..clients import Platform, ServiceError
from ..i18n.labels import GRANT_KINDS, ILLNESS_WORDS
from ..members_lookup import find_member
from ..reports.excel import ListColumn
from ..web.deps import CurrentSession, PlatformDep
from ..web.desk_pages import my_district, refused, today
from ..web.errors import redirect
from ..web.formats import yuan
from ..web.forms import Problems
from ..web.lists import EXPORT_CAP, count_stated, every_row, list_download, list_scope
from .common import APPLICATION_STATUSES, district_options, money, page, require

router = APIRouter()
NOTICES: Final = {
    "applied": "救助申请已提交，等待区县审核人员审批。",
    "submit": "申请已提交审批。",
    "approve": "申请已批准。",
    "reject": "已不予批准。",
    "disburse": "救助金已发放，已计入本年度预算。",
    "receipt": "回执已登记。",
    "budget": "年度预算已保存。",
}


@router.get("/applications")
async def applications(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    status: str = "",
    page_no: Annotated[int, Query(alias="page", ge=1)] = 1,
) -> Response:
    require(session, "applications")
    status = status if status in APPLICATION_STATUSES else ""
    found = await platform.relief.applications(status=status or None, page=page_no)
    context = {
        "found": found,
        "status": status,
        "status_options": [(k, v[0]) for k, v in APPLICATION_STATUSES.items()],
        "export_href": "/relief/applications.xlsx" + (f"?status={status}" if status else ""),
        "export_cap": EXPORT_CAP,
    }
    return page(request, "relief/applications.html", context, tab="applications")


APPLICATION_COLUMNS: Final = (
    ListColumn("申请日期", "date", 12),
    ListColumn("救助类型", width=14),
    ListColumn("区县", width=16),
    ListColumn("申请金额", "yuan", 14),
    ListColumn("批准金额", "yuan", 14),
    ListColumn("状态", width=10),
)


@router.get("/applications.xlsx")
async def applications_excel(
    request: Request, session: CurrentSession, platform: PlatformDep, status: str = ""
) -> Response:
    """The applications the list shows with its status filter, every page (at most
    EXPORT_CAP), oldest first as the list, as an Excel file."""
    require(session, "applications")
    status = status if status in APPLICATION_STATUSES else ""
    query = {"status": status} if status else {}
    total, found = await every_row(platform.relief.applications, "applications", query)
    orgs = getattr(request.state, "orgs", {})
    org = list_scope(session)  # the service lists the caller's district (a city admin's: the city)
    stated = [
        ("范围", orgs.get(org, org)),
        ("办理状态", APPLICATION_STATUSES[status][0] if status else "全部"),
        ("排序", "申请日期从旧到新"),
        count_stated(total, len(found)),
    ]
    rows = [
        [
            a.get("drafted_on"),
            GRANT_KINDS.get(a.get("kind", ""), a.get("kind", "")),
            orgs.get(a.get("district"), a.get("district") or ""),
            a.get("amount_requested"),
            a.get("amount_approved"),
            APPLICATION_STATUSES.get(a.get("status", ""), (a.get("status", ""), ""))[0],
        ]
        for a in found
    ]
    title, name = "救助申请清单", "relief-applications.xlsx"
    return list_download(request, title, stated, APPLICATION_COLUMNS, rows, name)


async def _new_page(
    request: Request, values: dict[str, str], problems: Problems | None = None, status: int = 200
) -> Response:
    context = {"values": values, "problems": problems, "kind_options": list(GRANT_KINDS.items())}
    return page(
        request, "relief/application_new.html", context, tab="applications", status_code=status
    )


@router.get("/applications/new")
async def new_application(request: Request, session: CurrentSession) -> Response:
    require(session, "new")
    return await _new_page(request, {"ref": "", "kind": "", "amount": ""})


@router.post("/applications/new")
async def apply(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    ref: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "",
    amount: Annotated[str, Form()] = "",
) -> Response:
    require(session, "new")
    values = {"ref": ref, "kind": kind, "amount": amount}
    problems = Problems()
    if kind not in GRANT_KINDS:
        problems.add("kind", "请选择救助类型")
    written = money(amount)
    if written is None or Decimal(written) <= 0:
        problems.add("amount", "请填写申请金额（元），如 2000.00")
    found = await find_member(platform, ref)
    if found.problem:
        problems.add("ref", found.problem)
    if problems:
        return await _new_page(request, values, problems, 422)
    try:
        made = await platform.relief.apply(
            found.member_id, my_district(session), kind, str(written)
        )
    except ServiceError as exc:
        refused(problems, exc)
        return await _new_page(request, values, problems, exc.status)
    return redirect(request, f"/relief/applications/{made['application_id']}?notice=applied")


async def budget_of(platform: Platform, application: dict[str, Any], year: int) -> dict[str, Any]:
    """The district's budget for the year and the application's kind (amount None: not set)."""
    try:
        return await platform.relief.budget(application["district"], year, application["kind"])
    except ServiceError as exc:
        if exc.status in (403, 404):
            return {"amount": None, "committed": None, "left": None}
        raise


async def _application_page(
    request: Request,
    session: Session,
    platform: Platform,
    application_id: str,
    problems: Problems | None = None,
    notice: str = "",
    status_code: int = 200,
) -> Response:
    application = await platform.relief.application(application_id)
    year = today(request).year
    context = {
        "a": application,
        "budget": await budget_of(platform, application, year),
        "year": year,
        "problems": problems,
        "notice": NOTICES.get(notice, ""),
        "may_decide": session.identity.role == "district_officer",
        "may_handle": session.identity.role in ("clerk", "district_officer"),
    }
    return page(
        request, "relief/application.html", context, tab="applications", status_code=status_code
    )


@router.get("/applications/{application_id}")
async def application_page(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    application_id: str,
    notice: str = "",
) -> Response:
    require(session, "applications")
    return await _application_page(request, session, platform, application_id, notice=notice)


@router.post("/applications/{application_id}/{step}")
async def application_step(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    application_id: str,
    step: str,
    amount: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    ref: Annotated[str, Form()] = "",
) -> Response:
    """submit (a draft: its recipient and amount), approve (up to what the budget has left),
    reject (with the reason), disburse, receipt."""
    if step not in ("submit", "approve", "reject", "disburse", "receipt"):
        return redirect(request, f"/relief/applications/{application_id}")
    require(session, "decide" if step in ("approve", "reject") else "new")
    problems = Problems()
    body: dict[str, Any] | None = None
    try:
        if step == "submit":
            found = await find_member(platform, ref)
            written = money(amount)
            if found.problem:
                problems.add("ref", found.problem)
            if written is None or Decimal(written) <= 0:
                problems.add("amount", "请填写申请金额（元）")
            if not problems:
                await platform.relief.set_recipient(application_id, found.member_id)
                body = {"amount": written}
        elif step == "approve":
            body = await _approval(request, platform, application_id, amount, problems)
        elif step == "reject":
            if not reason.strip():
                problems.add("reason", "请填写不予批准的原因")
            body = {"reason": reason.strip()}
        if not problems:
            await platform.relief.step(application_id, step, body)
    except ServiceError as exc:
        refused(problems, exc)
        if exc.code == "budget_exceeded":
            problems.general.append("请调整年度预算或批准金额后再发放。")
    if problems:
        return await _application_page(
            request, session, platform, application_id, problems, status_code=422
        )
    return redirect(request, f"/relief/applications/{application_id}?notice={step}")


async def _approval(
    request: Request, platform: Platform, application_id: str, amount: str, problems: Problems
) -> dict[str, Any]:
    """The approval's body; a problem when it is no amount or would overspend the budget."""
    application = await platform.relief.application(application_id)
    written = money(amount) if amount.strip() else application.get("amount_requested")
    if written is None:
        problems.add("amount", "请填写批准金额（元），不超过申请金额")
        return {}
    budget = await budget_of(platform, application, today(request).year)
    if budget.get("amount") is None:
        problems.general.append("本区县本年度尚未设置该类救助的预算，请先在“年度预算”中设置。")
    elif Decimal(str(written)) > Decimal(str(budget["left"])):
        problems.add(
            "amount",
            f"批准 {yuan(written)} 将超出年度预算：本年度该类救助预算剩余 {yuan(budget['left'])}。",
        )
    return {"amount": str(written)}


async def _budgets_page(
    request: Request,
    session: Session,
    platform: Platform,
    values: dict[str, str],
    problems: Problems | None = None,
    notice: str = "",
    status_code: int = 200,
) -> Response:
    district, year = my_district(session), today(request).year
    rows = []
    for kind, text in GRANT_KINDS.items():
        budget = await platform.relief.budget(district, year, kind)
        rows.append({**budget, "kind": text})
    context = {
        "rows": rows,
        "year": year,
        "values": values,
        "problems": problems,
        "notice": NOTICES.get(notice, ""),
        "kind_options": list(GRANT_KINDS.items()),
        "districts": await district_options(platform, session),
    }
    return page(request, "relief/budgets.html", context, tab="budgets", status_code=status_code)


@router.get("/budgets")
async def budgets(
    request: Request, session: CurrentSession, platform: PlatformDep, notice: str = ""
) -> Response:
    require(session, "budgets")
    values = {"kind": "", "year": str(today(request).year), "amount": ""}
    return await _budgets_page(request, session, platform, values, notice=notice)


@router.post("/budgets")
async def set_budget(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    kind: Annotated[str, Form()] = "",
    year: Annotated[str, Form()] = "",
    amount: Annotated[str, Form()] = "",
) -> Response:
    require(session, "budgets")
    values = {"kind": kind, "year": year, "amount": amount}
    problems = Problems()
    if kind not in GRANT_KINDS:
        problems.add("kind", "请选择救助类型")
    if not (year.isdigit() and len(year) == 4):
        problems.add("year", "年度写 4 位数字，如 2026")
    written = money(amount)
    if written is None:
        problems.add("amount", "请填写预算金额（元），如 200000.00")
    if not problems:
        try:
            await platform.relief.set_budget(my_district(session), int(year), kind, str(written))
        except ServiceError as exc:
            refused(problems, exc)
    if problems:
        return await _budgets_page(request, session, platform, values, problems, status_code=422)
    return redirect(request, "/relief/budgets?notice=budget")


@router.get("/run")
async def run_page(request: Request, session: CurrentSession) -> Response:
    require(session, "run")
    month = today(request).strftime("%Y-%m")
    return page(request, "relief/run.html", {"month": month, "result": None}, tab="run")


@router.post("/run")
async def run_month(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    month: Annotated[str, Form()] = "",
) -> Response:
    """Run the month; the page says what was paid, what was skipped and why."""
    require(session, "run")
    problems = Problems()
    result = None
    try:
        result = await platform.relief.run_month(month.strip())
    except ServiceError as exc:
        if exc.status >= 500:
            raise
        problems.add("month", exc.message)
    context = {"month": month, "result": result, "problems": problems, "words": run_words(result)}
    if request.headers.get("hx-request"):  # htmx swaps a 200 only: the result in place
        return page(request, "relief/_run_result.html", context, tab="run")
    return page(
        request, "relief/run.html", context, tab="run", status_code=422 if problems else 200
    )


def run_words(result: dict[str, Any] | None) -> list[str]:
    """What a run did, in sentences a city admin reads."""
    if not result:
        return []
    year, month = result["month"].split("-")
    cards, paid = result["cards"], result["paid"]
    first = f"{year}年{int(month)}月：全市持证 {cards} 张，本次发放 {paid} 人"
    if paid:
        first += f"，合计 {yuan(result['total'])}（每人 {yuan(result['amount'])}）"
    words = [first + "。"]
    skipped, gone = result["skipped"], result.get("not_members", 0)
    if result["paid"] == 0 and skipped:
        words.append(f"本月补助已发放过，本次没有重复发放（{skipped} 人本月已领取）。")
    elif skipped:
        words.append(f"{skipped} 人本月已领取或本月不在发放期内，未重复发放。")
    if gone:
        words.append(f"{gone} 人已退会、个人信息已删除或不在会员名册中，未发放。")
    return words


async def _paid_claims(
    platform: Platform, member_id: str, year: int
) -> list[dict[str, Any]] | None:
    """The member's paid claims of the year (None: the claims service could not say)."""
    try:
        found = await platform.claims.claims_of_member(member_id, size=100)
    except ServiceError:
        return None
    return [
        c for c in found.get("claims", []) if c.get("status") == "paid" and c.get("year") == year
    ]


@router.get("/illness")
async def illness_queue(
    request: Request, session: CurrentSession, platform: PlatformDep
) -> Response:
    """The officer's queue of major-illness cases (大病救助) opened from paid claims: the drafts
    to complete and the submitted ones to decide, oldest first, with the member's paid claims
    of the year and what they paid out of pocket (from claims, when it answers)."""
    require(session, "illness")
    cases: dict[str, dict[str, Any]] = {}
    for status in ("drafted", "submitted"):  # one read each: a case submitted in between is
        found = await platform.relief.applications(status=status, size=500)  # shown once
        for a in found["applications"]:
            if a["kind"] == "major_illness" and a["source"] == "claims":
                cases[a["application_id"]] = a
    rows: list[dict[str, Any]] = []
    claims_down = False
    for a in cases.values():
        year = int(str(a["drafted_on"])[:4])
        claims = await _paid_claims(platform, a["member_id"], year) if a["member_id"] else []
        claims_down = claims_down or claims is None
        paid = claims or []
        total = sum((Decimal(str(c["out_of_pocket"] or 0)) for c in paid), Decimal(0))
        rows.append(
            a
            | {
                "year": year,
                "claims": paid,
                "out_of_pocket": f"{total:.2f}" if paid else None,
                "claims_known": claims is not None,
            }
        )
    rows.sort(key=lambda r: (r["drafted_on"], r["application_id"]))
    context = {"rows": rows, "claims_down": claims_down, "words": ILLNESS_WORDS}
    return page(request, "relief/illness.html", context, tab="illness")
