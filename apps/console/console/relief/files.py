"""Hardship files (困难职工建档): the district's list, a new file with its household, a file's
page with the card rule as relief computed it, its annual review and closing; and the
district's minimum living standard (低保标准) the card rule rests on."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Final

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from ..auth.sessions import Session
from ..clients import Platform, ServiceError
from ..i18n.labels import VISIT_WORDS, VISITORS
from ..members_lookup import find_member
from ..reports.excel import ListColumn
from ..web.deps import CurrentSession, PlatformDep
from ..web.desk_pages import my_district, refused, today
from ..web.errors import redirect
from ..web.formats import yuan
from ..web.forms import Problems
from ..web.lists import EXPORT_CAP, count_stated, every_row, list_download, list_scope
from .common import CATEGORIES, FILE_STATUSES, district_options, money, page, require

router = APIRouter()
HOUSEHOLD_ROWS: Final = 6
NOTICES: Final = {
    "opened": "档案已建立。",
    "reviewed": "年度复核已保存。",
    "closed": "档案已结档，帮扶证随之停发。",
    "standard": "低保标准已保存。",
    "visited": VISIT_WORDS["recorded"],
}


def card_rule(file: dict[str, Any], standard: dict[str, Any] | None) -> str:
    """The card rule in words, computed as relief computes it: the household's monthly income
    below factor × standard × household size (the per-head figures are shown rounded)."""
    per_head = yuan(file.get("income_per_head"))
    if standard is None:
        return f"人均月收入 {per_head}；本区县尚未设置低保标准，暂不能核定爱心帮扶证。"
    size = int(file.get("household_size") or 1)
    line = Decimal(str(standard["card_factor"])) * Decimal(str(standard["amount"])) * size
    words = f"{standard['card_factor']} × 低保 {yuan(standard['card_line_per_head'])}"
    if Decimal(str(file["monthly_income"])) < line:
        return f"人均月收入 {per_head}，低于 {words}，可办理爱心帮扶证。"
    return f"人均月收入 {per_head}，不低于 {words}，不能办理爱心帮扶证。"


def _standard_line(standard: dict[str, Any] | None) -> str:
    if standard is None:
        return ""
    factor, amount = standard["card_factor"], yuan(standard["amount"])
    return f"{factor} × 低保 {amount} = {yuan(standard['card_line_per_head'])}"


@router.get("/files")
async def files_page(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    page_no: Annotated[int, Query(alias="page", ge=1)] = 1,
) -> Response:
    require(session, "files")
    found = await platform.relief.files(page=page_no)
    context = {"found": found, "export_href": "/relief/files.xlsx", "export_cap": EXPORT_CAP}
    return page(request, "relief/files.html", context, tab="files")


FILE_COLUMNS: Final = (
    ListColumn("档案号", width=38),
    ListColumn("区县", width=16),
    ListColumn("困难类别", width=12),
    ListColumn("家庭人数", "count", 10),
    ListColumn("人均月收入", "yuan", 14),
    ListColumn("爱心帮扶证", width=12),
    ListColumn("复核到期", "date", 12),
    ListColumn("状态", width=10),
)


@router.get("/files.xlsx")
async def files_excel(request: Request, session: CurrentSession, platform: PlatformDep) -> Response:
    """The files the list shows (the caller's district; a city admin's: the city), every page
    (at most EXPORT_CAP), in the order opened as the list, as an Excel file: the list's columns
    only (no member, no household)."""
    require(session, "files")
    total, found = await every_row(platform.relief.files, "files", {})
    orgs = getattr(request.state, "orgs", {})
    org = list_scope(session)
    stated = [
        ("范围", orgs.get(org, org)),
        ("排序", "建档日期从旧到新"),
        count_stated(total, len(found)),
    ]
    rows = [
        [
            f.get("file_id"),
            orgs.get(f.get("district"), f.get("district") or ""),
            CATEGORIES.get(f.get("category", ""), f.get("category", "")),
            f.get("household_size"),
            f.get("income_per_head"),
            "持证" if f.get("card") else None,
            f.get("review_due"),
            FILE_STATUSES.get(f.get("status", ""), (f.get("status", ""), ""))[0],
        ]
        for f in found
    ]
    title = "困难职工档案清单"
    return list_download(request, title, stated, FILE_COLUMNS, rows, "relief-files.xlsx")


def _form(values: dict[str, Any] | None = None) -> dict[str, Any]:
    blank = {"ref": "", "category": "", "monthly_income": "", "notes": ""}
    blank |= {f"p-{i}-{k}": "" for i in range(HOUSEHOLD_ROWS) for k in ("name", "relation", "born")}
    return blank | (values or {})


async def _new_page(
    request: Request,
    session: Session,
    platform: Platform,
    values: dict[str, Any],
    problems: Problems | None = None,
    status_code: int = 200,
) -> Response:
    standard = await platform.relief.standard(my_district(session))
    context = {
        "values": values,
        "problems": problems,
        "rows": range(HOUSEHOLD_ROWS),
        "standard_line": _standard_line(standard),
        "category_options": list(CATEGORIES.items()),
    }
    return page(request, "relief/file_new.html", context, tab="new", status_code=status_code)


@router.get("/files/new")
async def new_file(request: Request, session: CurrentSession, platform: PlatformDep) -> Response:
    require(session, "new")
    return await _new_page(request, session, platform, _form())


@router.post("/files/new")
async def open_file(request: Request, session: CurrentSession, platform: PlatformDep) -> Response:
    require(session, "new")
    form = await request.form()
    values = _form({k: str(v).strip() for k, v in form.items() if k != "csrf_token"})
    problems = Problems()
    household = []
    for i in range(HOUSEHOLD_ROWS):
        name, relation, born = (values[f"p-{i}-{k}"] for k in ("name", "relation", "born"))
        if not (name or relation or born):
            continue
        if not name:
            problems.add(f"p-{i}-name", f"第 {i + 1} 行：请填写家庭成员姓名")
        if not relation:
            problems.add(
                f"p-{i}-relation", f"第 {i + 1} 行：请填写与会员的关系，如 本人、配偶、子女"
            )
        if born and not (born.isdigit() and 1900 <= int(born) <= today(request).year):
            problems.add(f"p-{i}-born", f"第 {i + 1} 行：出生年份写 4 位数字，如 1980")
        person: dict[str, Any] = {"name": name, "relation": relation}
        if born.isdigit():
            person["born"] = int(born)
        household.append(person)
    if not household:
        problems.add("p-0-name", "请至少填写一名家庭成员（含会员本人）")
    if values["category"] not in CATEGORIES:
        problems.add("category", "请选择困难类别")
    income = money(values["monthly_income"])
    if income is None:
        problems.add("monthly_income", "请填写家庭月收入（元），如 2340.00")
    found = await find_member(platform, values["ref"])
    if found.problem:
        problems.add("ref", found.problem)
    if problems:
        return await _new_page(request, session, platform, values, problems, 422)
    body = {
        "member_id": found.member_id,
        "district": my_district(session),
        "opened_by": session.identity.org,
        "category": values["category"],
        "household": household,
        "monthly_income": income,
        "notes": values["notes"],
    }
    try:
        opened = await platform.relief.open_file(body)
    except ServiceError as exc:
        refused(problems, exc)
        if exc.code == "file_exists" and exc.details.get("file_id"):
            problems.general.append(f"已有的档案：{exc.details['file_id']}")
        return await _new_page(request, session, platform, values, problems, exc.status)
    return redirect(request, f"/relief/files/{opened['file_id']}?notice=opened")


async def _file_page(
    request: Request,
    platform: Platform,
    file_id: str,
    problems: Problems | None = None,
    notice: str = "",
    status_code: int = 200,
) -> Response:
    file = await platform.relief.file(file_id)
    standard = await platform.relief.standard(file["district"], file.get("opened_on"))
    context = {
        "file": file,
        "rule": card_rule(file, standard),
        "problems": problems,
        "notice": NOTICES.get(notice, ""),
        "category_options": list(CATEGORIES.items()),
        "visit_on": today(request).isoformat(),
    }
    return page(request, "relief/file.html", context, tab="files", status_code=status_code)


@router.get("/files/{file_id}")
async def file_page(
    request: Request, session: CurrentSession, platform: PlatformDep, file_id: str, notice: str = ""
) -> Response:
    require(session, "files")
    return await _file_page(request, platform, file_id, notice=notice)


@router.post("/files/{file_id}/review")
async def review_file(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    file_id: str,
    monthly_income: Annotated[str, Form()] = "",
    category: Annotated[str, Form()] = "",
) -> Response:
    require(session, "new")
    problems = Problems()
    income = money(monthly_income)
    if income is None:
        problems.add("monthly_income", "请填写复核时的家庭月收入（元）")
    if problems:
        return await _file_page(request, platform, file_id, problems, status_code=422)
    body: dict[str, Any] = {"monthly_income": income}
    if category in CATEGORIES:
        body["category"] = category
    try:
        await platform.relief.review_file(file_id, body)
    except ServiceError as exc:
        refused(problems, exc)
        return await _file_page(request, platform, file_id, problems, status_code=exc.status)
    return redirect(request, f"/relief/files/{file_id}?notice=reviewed")


@router.post("/files/{file_id}/close")
async def close_file(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    file_id: str,
    reason: Annotated[str, Form()] = "",
) -> Response:
    require(session, "new")
    problems = Problems()
    if not reason.strip():
        problems.add("reason", "请填写结档原因，如 家庭收入已超过帮扶标准")
        return await _file_page(request, platform, file_id, problems, status_code=422)
    try:
        await platform.relief.close_file(file_id, reason.strip())
    except ServiceError as exc:
        refused(problems, exc)
        return await _file_page(request, platform, file_id, problems, status_code=exc.status)
    return redirect(request, f"/relief/files/{file_id}?notice=closed")


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def overdue_rows(report: list[dict[str, Any]], on: date) -> list[dict[str, Any]]:
    """The overdue cards of every district shown, the longest overdue first, with how long."""
    rows = []
    for district in report:
        for card in district["overdue"]:
            days = (on - date.fromisoformat(card["due"])).days
            words = VISIT_WORDS["due_today"] if days <= 0 else VISIT_WORDS["overdue_days"]
            rows.append(
                card
                | {"district": district["district"], "days": days, "late": words.format(days=days)}
            )
    return sorted(rows, key=lambda r: (r["due"], r["file_id"]))


@router.get("/visits")
async def visits(
    request: Request, session: CurrentSession, platform: PlatformDep, on: str = ""
) -> Response:
    """The work list of follow-up visits (走访回访): the cards whose quarterly visit is overdue
    on a day (today by default), the oldest due first, each linking to its file."""
    require(session, "visits")
    problems = Problems()
    day = _day(on) if on else today(request)
    if day is None:
        problems.add("on", VISIT_WORDS["bad_date"])
        day = today(request)
    rows = overdue_rows(await platform.relief.overdue_visits(day.isoformat()), day)
    context = {
        "rows": rows,
        "on": on or day.isoformat(),
        "day": day,
        "problems": problems,
        "never": VISIT_WORDS["never"],
    }
    return page(
        request, "relief/visits.html", context, tab="visits", status_code=422 if problems else 200
    )


@router.post("/files/{file_id}/visits")
async def record_visit(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    file_id: str,
    on: Annotated[str, Form()] = "",
) -> Response:
    require(session, "new")
    problems = Problems()
    day = _day(on) if on.strip() else today(request)
    if day is None:
        problems.add("on", VISIT_WORDS["bad_visit_date"])
        return await _file_page(request, platform, file_id, problems, status_code=422)
    role = session.identity.role
    body = {"on": day.isoformat(), "by": role if role in VISITORS else "district_officer"}
    try:
        await platform.relief.record_visit(file_id, body)
    except ServiceError as exc:
        refused(problems, exc)
        return await _file_page(request, platform, file_id, problems, status_code=exc.status)
    return redirect(request, f"/relief/files/{file_id}?notice=visited")


async def _standards_page(
    request: Request,
    session: Session,
    platform: Platform,
    values: dict[str, str],
    problems: Problems | None = None,
    notice: str = "",
    status_code: int = 200,
) -> Response:
    district = my_district(session)
    context = {
        "values": values,
        "problems": problems,
        "notice": NOTICES.get(notice, ""),
        "current": await platform.relief.standard(district),
        "districts": await district_options(platform, session),
    }
    return page(request, "relief/standards.html", context, tab="standards", status_code=status_code)


@router.get("/standards")
async def standards(
    request: Request, session: CurrentSession, platform: PlatformDep, notice: str = ""
) -> Response:
    require(session, "standards")
    values = {"amount": "", "effective_from": today(request).isoformat()}
    return await _standards_page(request, session, platform, values, notice=notice)


@router.post("/standards")
async def set_standard(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    amount: Annotated[str, Form()] = "",
    effective_from: Annotated[str, Form()] = "",
) -> Response:
    require(session, "standards")
    values = {"amount": amount, "effective_from": effective_from}
    problems = Problems()
    written = money(amount)
    if written is None:
        problems.add("amount", "请填写每人每月的低保标准（元），如 800.00")
    if not effective_from:
        problems.add("effective_from", "请选择执行日期")
    if not problems:
        try:
            await platform.relief.set_standard(my_district(session), str(written), effective_from)
        except ServiceError as exc:
            refused(problems, exc)
    if problems:
        return await _standards_page(request, session, platform, values, problems, status_code=422)
    return redirect(request, "/relief/standards?notice=standard")
