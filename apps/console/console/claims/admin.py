"""City admin: a plan year's rules (the service validates them; its refusals are shown by
the field, in Chinese), the city's hospital registry, and the settlement between districts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Final

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from union_events.orgs import city_of

from ..clients import ServiceError
from ..i18n import chinese_message
from ..i18n.labels import DOCUMENTS, PLANS, POOLING_LEVELS
from ..web.deps import CurrentSession, PlatformDep
from ..web.desk_pages import today
from ..web.errors import redirect
from ..web.forms import Problems
from .common import page, require

router = APIRouter()
POOLING_ROWS: Final = 3
TIER_ROWS: Final = 4
MONEY: Final = ("deductible", "per_claim_cap", "annual_cap", "auto_approve_below")
DATES: Final = ("claims_close_on", "enrolment_closes_on")
RULE_FIELD_OF_CODE: Final = {
    "no_pooling_period": "pool-0-level",
    "pooling_out_of_order": "pool-1-from",
    "pooling_starts_late": "pool-0-from",
    "invalid_pooling_level": "pool-0-level",
    "no_tiers": "tier-0-ratio",
    "tiers_out_of_order": "tier-1-up_to",
    "unbounded_tier_not_last": "tier-0-up_to",
    "invalid_ratio": "tier-0-ratio",
    "invalid_cap": "per_claim_cap",
    "per_claim_cap_above_annual_cap": "per_claim_cap",
    "invalid_deadline": "deadline_days",
    "invalid_claims_close_on": "claims_close_on",
    "negative_amount": "deductible",
    "invalid_amount": "deductible",
    "unknown_document": "required_documents",
}
FIELD_WORDS: Final = {
    "deductible": "起付线",
    "per_claim_cap": "单次封顶",
    "annual_cap": "年度封顶",
    "auto_approve_below": "自动审核金额",
    "deadline_days": "申报期限",
    "claims_close_on": "申报截止日期",
    "enrolment_closes_on": "参保截止日期",
}
SAVED: Final = {
    "rules": "保障年度规则已保存，新受理的申请按新规则核算。",
    "hospital": "医院已保存。",
}


def _percent(ratio: str) -> str:
    try:
        return f"{Decimal(ratio) * 100:f}".rstrip("0").rstrip(".") if ratio else ""
    except InvalidOperation:
        return ratio


def _ratio(percent: str) -> str:
    text = percent.strip().rstrip("%")
    try:
        return f"{(Decimal(text) / 100).normalize():f}" if text else ""
    except InvalidOperation:
        return text


def _form_of(rules: dict[str, Any] | None) -> dict[str, str]:
    """The rules as the form's fields (blank for a year not set yet)."""
    values: dict[str, str] = {}
    rules = rules or {}
    for i in range(POOLING_ROWS):
        period = (rules.get("pooling") or [])[i:i + 1]  # fmt: skip
        values[f"pool-{i}-level"] = period[0]["level"] if period else ""
        values[f"pool-{i}-from"] = period[0]["effective_from"] if period else ""
    for i in range(TIER_ROWS):
        tier = (rules.get("tiers") or [])[i:i + 1]  # fmt: skip
        values[f"tier-{i}-up_to"] = (tier[0].get("up_to") or "") if tier else ""
        values[f"tier-{i}-ratio"] = _percent(str(tier[0]["ratio"])) if tier else ""
    for key in (*MONEY, *DATES, "deadline_days"):
        values[key] = str(rules.get(key) or "")
    required = rules.get("required_documents") or []
    for doc in DOCUMENTS:  # tick boxes: "on" when the plan year requires it
        values[f"req-{doc}"] = "on" if doc in required else ""
    return values


def _rules_of(values: dict[str, str]) -> dict[str, Any]:
    """The form's fields as the API's rules (what was typed; the service judges it)."""
    pooling = [
        {"level": values[f"pool-{i}-level"], "effective_from": values[f"pool-{i}-from"] or None}
        for i in range(POOLING_ROWS)
        if values[f"pool-{i}-level"] or values[f"pool-{i}-from"]
    ]
    tiers = [
        {"up_to": values[f"tier-{i}-up_to"] or None, "ratio": _ratio(values[f"tier-{i}-ratio"])}
        for i in range(TIER_ROWS)
        if values[f"tier-{i}-up_to"] or values[f"tier-{i}-ratio"]
    ]
    days = values["deadline_days"]
    rules: dict[str, Any] = {
        "pooling": pooling,
        "tiers": tiers,
        "deadline_days": int(days) if days.isdigit() else days,
    }
    rules |= {k: values[k].replace(",", "") for k in MONEY}
    rules |= {k: values[k] or None for k in DATES}
    rules["required_documents"] = [d for d in DOCUMENTS if values.get(f"req-{d}")]
    return rules


def _problems_of(exc: ServiceError, problems: Problems) -> None:
    if exc.code == "invalid_request":
        for item in exc.details.get("fields") or []:
            parts = str(item.get("field", "")).split(".")
            name, message = _field_problem(parts)
            problems.add(name, message)
        if not problems:
            problems.general.append(exc.message)
        return
    field = RULE_FIELD_OF_CODE.get(exc.code)
    if field:
        problems.add(field, exc.message)
    else:
        problems.general.append(exc.message)


def _field_problem(parts: list[str]) -> tuple[str, str]:
    head = parts[0]
    if head == "pooling":
        i = parts[1] if len(parts) > 1 and parts[1].isdigit() else "0"
        if len(parts) > 2 and parts[2] == "level":
            return f"pool-{i}-level", f"第 {int(i) + 1} 段统筹：请选择区级统筹或市级统筹"
        if len(parts) > 2:
            return f"pool-{i}-from", f"第 {int(i) + 1} 段统筹：请填写生效日期，如 2026-01-01"
        return "pool-0-level", chinese_message("no_pooling_period")
    if head == "tiers":
        i = parts[1] if len(parts) > 1 and parts[1].isdigit() else "0"
        if len(parts) > 2 and parts[2] == "up_to":
            words = "上限应为金额，如 5000.00；最后一档可不填"
            return f"tier-{i}-up_to", f"第 {int(i) + 1} 档：{words}"
        if len(parts) > 2:
            return f"tier-{i}-ratio", f"第 {int(i) + 1} 档：报销比例应为 0 到 100 之间的百分数"
        return "tier-0-ratio", chinese_message("no_tiers")
    words = FIELD_WORDS.get(head, head)
    if head in MONEY:
        return head, f"{words}应为金额，最多两位小数，如 500.00"
    if head in DATES:
        return head, f"{words}格式不正确，如 2027-03-31"
    if head == "deadline_days":
        return head, "申报期限应为 1 到 3650 之间的天数"
    return "plan_id", chinese_message("invalid_request")


def _rules_page(
    request: Request,
    plan_id: str,
    year: int,
    values: dict[str, str],
    *,
    exists: bool,
    problems: Problems | None = None,
    notice: str = "",
    status_code: int = 200,
) -> Response:
    context = {
        "plan_id": plan_id,
        "year": year,
        "values": values,
        "exists": exists,
        "problems": problems,
        "notice": notice,
        "plans": list(PLANS.items()),
        "levels": list(POOLING_LEVELS.items()),
        "pooling_rows": range(POOLING_ROWS),
        "tier_rows": range(TIER_ROWS),
        "documents": list(DOCUMENTS.items()),
        "years": range(today(request).year - 1, today(request).year + 2),
    }
    return page(request, "claims/plans.html", context, tab="plans", status_code=status_code)


@router.get("/plans")
async def plans_page(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    plan_id: str = "inpatient",
    year: int = 0,
    notice: str = "",
) -> Response:
    """A plan year's rules in the form (blank when not set yet)."""
    require(session, "plans")
    year = year or today(request).year
    plan_id = plan_id if plan_id in PLANS else "inpatient"
    try:
        rules: dict[str, Any] | None = await platform.claims.rules(plan_id, year)
    except ServiceError as exc:
        if exc.code != "unknown_plan_year":
            raise
        rules = None
    values = _form_of(rules)
    if rules is None:
        values["pool-0-level"], values["pool-0-from"] = "district", f"{year}-01-01"
    return _rules_page(
        request, plan_id, year, values, exists=rules is not None, notice=SAVED.get(notice, "")
    )


@router.post("/plans")
async def save_rules(request: Request, session: CurrentSession, platform: PlatformDep) -> Response:
    require(session, "plans")
    form = await request.form()
    plan_id = str(form.get("plan_id") or "inpatient")
    year_text = str(form.get("year") or "")
    year = int(year_text) if year_text.isdigit() else today(request).year
    keys = [*_form_of(None).keys()]
    values = {k: str(form.get(k) or "").strip() for k in keys}
    problems = Problems()
    try:
        await platform.claims.set_rules(plan_id, year, _rules_of(values))
    except ServiceError as exc:
        if exc.status >= 500:
            raise
        _problems_of(exc, problems)
        return _rules_page(
            request, plan_id, year, values, exists=False, problems=problems, status_code=422
        )
    return redirect(request, f"/claims/plans?plan_id={plan_id}&year={year}&notice=rules")


async def _hospitals_page(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    values: dict[str, str],
    problems: Problems | None = None,
    notice: str = "",
    status_code: int = 200,
) -> Response:
    found = await platform.claims.hospitals()
    city = city_of(session.identity.org)
    districts = [
        (o.path, o.name) for o in await platform.members.orgs(parent=city, level="district")
    ]
    context = {
        "found": found,
        "values": values,
        "problems": problems,
        "notice": notice,
        "districts": districts,
    }
    return page(request, "claims/hospitals.html", context, tab="hospitals", status_code=status_code)


@router.get("/hospitals")
async def hospitals(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    code: str = "",
    notice: str = "",
) -> Response:
    """The city's hospitals, and the form to add one or change one (?code=)."""
    require(session, "hospitals")
    values = {"code": "", "name": "", "district": ""}
    if code:
        for h in (await platform.claims.hospitals())["hospitals"]:
            if h["code"] == code:
                values = {"code": h["code"], "name": h["name"], "district": h["district"] or ""}
    return await _hospitals_page(request, session, platform, values, notice=SAVED.get(notice, ""))


@router.post("/hospitals")
async def save_hospital(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    code: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    district: Annotated[str, Form()] = "",
) -> Response:
    require(session, "hospitals")
    values = {"code": code.strip(), "name": name.strip(), "district": district}
    problems = Problems()
    if not values["code"]:
        problems.add("code", "请填写医院代码，如 ZS-001")
    if not values["name"]:
        problems.add("name", "请填写医院名称")
    if not problems:
        body: dict[str, str | None] = {"name": values["name"]}
        body["city"] = city_of(session.identity.org)
        body |= {"district": district or None}
        try:
            await platform.claims.set_hospital(values["code"], body)
        except ServiceError as exc:
            if exc.status >= 500:
                raise
            field = {"district_outside_city": "district", "hospital_name_required": "name"}
            problems.add(field.get(exc.code, "code"), exc.message)
    if problems:
        return await _hospitals_page(request, session, platform, values, problems, "", 422)
    return redirect(request, "/claims/hospitals?notice=hospital")


@router.get("/settlements")
async def settlements(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    start: str = "",
    end: str = "",
) -> Response:
    """What each district paid on behalf of each other in a period, and the net balances."""
    require(session, "settlements")
    now = today(request)
    values = {"start": start or now.replace(day=1).isoformat(), "end": end or now.isoformat()}
    problems = Problems()
    for key, words in (("start", "开始日期"), ("end", "结束日期")):
        try:
            date.fromisoformat(values[key])
        except ValueError:
            problems.add(key, f"{words}格式不正确，如 2026-05-01")
    report = None
    if not problems:
        try:
            report = await platform.claims.settlements(values["start"], values["end"])
        except ServiceError as exc:
            if exc.status >= 500:
                raise
            problems.add("end" if exc.code == "invalid_period" else "start", exc.message)
    context = {"values": values, "report": report, "problems": problems or None}
    status_code = 422 if problems else 200
    return page(
        request, "claims/settlements.html", context, tab="settlements", status_code=status_code
    )
