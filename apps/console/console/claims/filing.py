"""File a claim (受理): the member, the stay, the invoices (rows added and removed by a plain
post), the documents; then the confirmation page whose status follows the claim (htmx)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from ..clients import ServiceError
from ..i18n import chinese_message
from ..i18n.labels import DOCUMENTS, PLANS
from ..members_lookup import find_member, remember, shown_member
from ..web.deps import CurrentSession, PlatformDep
from ..web.desk_pages import today
from ..web.errors import redirect
from ..web.forms import Problems
from .common import FINAL, STEPS, hospital_names, page, people, require, status_kind

router = APIRouter()
AMOUNT: Final = re.compile(r"^\d{1,10}(\.\d{1,2})?$")
MAX_ROWS: Final = 20
FIELD_OF_CODE: Final = {
    "member_required": "member",
    "member_not_found": "member",
    "discharged_before_admitted": "discharged_on",
    "date_in_future": "discharged_on",
    "unknown_plan_year": "admitted_on",
    "invalid_plan": "plan_id",
    "no_invoices": "invoices",
    "invalid_invoice": "invoices",
    "unknown_hospital": "invoices",
    "invalid_hospital_code": "invoices",
    "duplicate_invoice": "invoices",
    "invalid_amount": "invoices",
    "unknown_document": "documents",
    "invalid_document": "documents",
}
INVOICE_FIELDS: Final = ("hospital", "number", "amount", "issued_on")


def _rows(form: FormData) -> list[dict[str, str]]:
    count = min(int(str(form.get("rows") or "1")) if str(form.get("rows", "1")).isdigit() else 1,
                MAX_ROWS)  # fmt: skip
    return [
        {f: str(form.get(f"inv-{i}-{f}") or "").strip() for f in INVOICE_FIELDS}
        for i in range(max(count, 1))
    ]


def _values(form: FormData) -> dict[str, Any]:
    return {
        "member": str(form.get("member") or "").strip(),
        "plan_id": str(form.get("plan_id") or "inpatient"),
        "admitted_on": str(form.get("admitted_on") or ""),
        "discharged_on": str(form.get("discharged_on") or ""),
        "documents": [str(d) for d in form.getlist("documents")],
        "invoices": _rows(form),
    }


async def _page(
    request: Request,
    platform: PlatformDep,
    values: dict[str, Any],
    problems: Problems | None = None,
    found: Any = None,
    status_code: int = 200,
    resubmitting: dict[str, Any] | None = None,
    member: dict[str, Any] | None = None,
) -> Response:
    hospitals = await hospital_names(platform)
    context = {
        "required": await _required_documents(request, platform, values),
        "resubmitting": resubmitting,
        "member": member,
        "values": values,
        "problems": problems,
        "found": found,
        "hospitals": [(code, f"{name}（{code}）") for code, name in hospitals.items()],
        "plans": list(PLANS.items()),
        "documents": list(DOCUMENTS.items()),
    }
    return page(request, "claims/file.html", context, tab="file", status_code=status_code)


async def _required_documents(
    request: Request, platform: PlatformDep, values: dict[str, Any]
) -> list[str]:
    """The documents the plan year requires (必交): the year of the admission date, or the
    current year before a date is typed; none when the year has no rules."""
    try:
        year = date.fromisoformat(values.get("admitted_on") or "").year
    except ValueError:
        year = today(request).year
    try:
        rules = await platform.claims.rules(values.get("plan_id") or "inpatient", year)
    except ServiceError as exc:
        if exc.status >= 500 or exc.status == 401:
            raise
        return []
    return [d for d in rules.get("required_documents") or [] if d in DOCUMENTS]


@router.get("/file")
async def file_page(request: Request, session: CurrentSession, platform: PlatformDep) -> Response:
    """The filing form, one empty invoice row."""
    require(session, "file")
    values: dict[str, Any] = {"member": "", "plan_id": "inpatient", "admitted_on": ""}
    values["discharged_on"] = ""
    values |= {"documents": [], "invoices": [dict.fromkeys(INVOICE_FIELDS, "")]}
    return await _page(request, platform, values)


def _check(values: dict[str, Any], problems: Problems) -> list[dict[str, str]]:
    """The form's own checks (filled in, written as dates and amounts); the rules are the
    service's."""
    for name, what in (("admitted_on", "入院日期"), ("discharged_on", "出院日期")):
        try:
            date.fromisoformat(values[name])
        except ValueError:
            problems.add(name, f"请填写{what}，如 2026-05-01")
    invoices = []
    for i, row in enumerate(values["invoices"]):
        if not any(row.values()):
            continue
        if not row["hospital"]:
            problems.add(f"inv-{i}-hospital", f"第 {i + 1} 张发票：请选择医院")
        if not row["number"]:
            problems.add(f"inv-{i}-number", f"第 {i + 1} 张发票：请填写发票号码")
        if not AMOUNT.fullmatch(row["amount"].replace(",", "")):
            words = "金额应为数字，最多两位小数，如 3011.00"
            problems.add(f"inv-{i}-amount", f"第 {i + 1} 张发票：{words}")
        try:
            date.fromisoformat(row["issued_on"])
        except ValueError:
            problems.add(f"inv-{i}-issued_on", f"第 {i + 1} 张发票：请填写开票日期，如 2026-05-01")
        invoices.append({**row, "amount": row["amount"].replace(",", ""), "row": str(i)})
    if not invoices:
        problems.add("inv-0-hospital", "请至少录入一张发票")
    return invoices


def _service_problem(exc: ServiceError, values: dict[str, Any], problems: Problems) -> None:
    """The service's refusal beside the field it is about."""
    if exc.code == "invalid_request":
        for item in exc.details.get("fields") or []:
            parts = str(item.get("field", "")).split(".")
            if parts[0] == "invoices" and len(parts) >= 3 and parts[1].isdigit():
                problems.add(f"inv-{parts[1]}-{parts[2]}", f"第 {int(parts[1]) + 1} 张发票填写有误")
            elif parts[0] in ("admitted_on", "discharged_on", "member_id", "plan_id"):
                name = "member" if parts[0] == "member_id" else parts[0]
                problems.add(name, chinese_message("invalid_request"))
        if not problems:
            problems.general.append(exc.message)
        return
    if exc.code == "duplicate_invoice":
        number = re.sub(r"[^0-9A-Za-z]", "", str(exc.details.get("number", ""))).upper()
        for i, row in enumerate(values["invoices"]):
            if re.sub(r"[^0-9A-Za-z]", "", row["number"]).upper() == number:
                message = exc.message
                if exc.details.get("held_by_status") == "returned":  # the way on: resubmit it
                    message = (
                        f"该发票已在申请 {exc.details.get('held_by')} 中使用，该申请已退回补正。"
                        "请在“查询”中打开该申请，补正后重新提交，不要重新受理。"
                    )
                problems.add(f"inv-{i}-number", f"第 {i + 1} 张发票：{message}")
                return
    if exc.code == "unknown_hospital":
        for i, row in enumerate(values["invoices"]):
            if row["hospital"].upper() == str(exc.details.get("hospital", "")).upper():
                problems.add(f"inv-{i}-hospital", f"第 {i + 1} 张发票：{exc.message}")
                return
    field = FIELD_OF_CODE.get(exc.code)
    if field == "invoices":
        field = "inv-0-number"
    if field:
        problems.add(field, exc.message)
    else:
        problems.general.append(exc.message)


@router.post("/file")
async def file_claim(request: Request, session: CurrentSession, platform: PlatformDep) -> Response:
    """Add or remove an invoice row, look the member up, or file the claim."""
    require(session, "file")
    form = await request.form()
    values = _values(form)
    action = str(form.get("action") or "lookup")
    if _edit_rows(values, action):  # the member found stays shown as rows change
        found = await find_member(platform, values["member"]) if values["member"] else None
        shown = found if found is not None and not found.problem else None
        return await _page(request, platform, values, found=shown)
    problems = Problems()
    found = await find_member(platform, values["member"])
    if found.problem:
        problems.add("member", found.problem)
    else:
        await remember(request.app.state.sessions, session, found, values["member"])
    if action != "submit":
        return await _page(request, platform, values, problems or None, found)
    invoices = _check(values, problems)
    if problems:
        return await _page(request, platform, values, problems, found, 422)
    claim = {
        "member_id": found.member_id,
        "service_point": session.identity.org,
        "plan_id": values["plan_id"],
        "admitted_on": values["admitted_on"],
        "discharged_on": values["discharged_on"],
        "invoices": [{k: row[k] for k in INVOICE_FIELDS} for row in invoices],
        "documents": [d for d in values["documents"] if d in DOCUMENTS],
    }
    try:
        filed = await platform.claims.file(claim)
    except ServiceError as exc:
        if exc.status >= 500:
            raise
        _service_problem(exc, values, problems)
        return await _page(request, platform, values, problems, found, 422)
    return redirect(request, f"/claims/filed/{filed['claim_id']}")


def _edit_rows(values: dict[str, Any], action: str) -> bool:
    """Add or remove an invoice row (a plain post); True when the action was one."""
    if action == "add":
        if len(values["invoices"]) < MAX_ROWS:
            values["invoices"].append(dict.fromkeys(INVOICE_FIELDS, ""))
        return True
    if action.startswith("remove-") and action[7:].isdigit():
        index = int(action[7:])
        if 0 <= index < len(values["invoices"]) and len(values["invoices"]) > 1:
            values["invoices"].pop(index)
        return True
    return False


async def _returned(platform: PlatformDep, claim_id: str) -> dict[str, Any]:
    return await platform.claims.claim(claim_id)


@router.get("/{claim_id}/resubmit")
async def resubmit_page(
    request: Request, session: CurrentSession, platform: PlatformDep, claim_id: str
) -> Response:
    """A returned claim's form (补正后重新提交), filled in with what was filed."""
    require(session, "file")
    claim = await _returned(platform, claim_id)
    if claim["status"] != "returned":
        return redirect(request, f"/claims/{claim_id}")
    values: dict[str, Any] = {
        "member": "",
        "plan_id": claim["plan_id"],
        "admitted_on": claim.get("admitted_on") or "",
        "discharged_on": claim.get("discharged_on") or "",
        "documents": list(claim.get("documents") or []),
        "invoices": [
            {f: str(row.get(f) or "") for f in INVOICE_FIELDS} for row in claim["invoices"]
        ]
        or [dict.fromkeys(INVOICE_FIELDS, "")],
    }
    member = await shown_member(platform, request.app.state.sessions, session, claim["member_id"])
    return await _page(request, platform, values, resubmitting=claim, member=member)


@router.post("/{claim_id}/resubmit")
async def resubmit(
    request: Request, session: CurrentSession, platform: PlatformDep, claim_id: str
) -> Response:
    """Add or remove a row, or post the corrected claim (`POST /claims/{id}/resubmission`)."""
    require(session, "file")
    claim = await _returned(platform, claim_id)
    if claim["status"] != "returned":
        return redirect(request, f"/claims/{claim_id}")
    form = await request.form()
    values = _values(form) | {"plan_id": claim["plan_id"]}
    action = str(form.get("action") or "lookup")
    member = await shown_member(platform, request.app.state.sessions, session, claim["member_id"])
    if _edit_rows(values, action) or action != "submit":
        return await _page(request, platform, values, resubmitting=claim, member=member)
    problems = Problems()
    invoices = _check(values, problems)
    if problems:
        return await _page(
            request, platform, values, problems, None, 422, resubmitting=claim, member=member
        )
    correction = {
        "service_point": session.identity.org,
        "admitted_on": values["admitted_on"],
        "discharged_on": values["discharged_on"],
        "invoices": [{k: row[k] for k in INVOICE_FIELDS} for row in invoices],
        "documents": [d for d in values["documents"] if d in DOCUMENTS],
    }
    try:
        await platform.claims.resubmit(claim_id, correction)
    except ServiceError as exc:
        if exc.status >= 500:
            raise
        _service_problem(exc, values, problems)
        return await _page(
            request, platform, values, problems, None, 422, resubmitting=claim, member=member
        )
    return redirect(request, f"/claims/filed/{claim_id}")


@router.get("/filed/{claim_id}")
async def filed_page(
    request: Request, session: CurrentSession, platform: PlatformDep, claim_id: str
) -> Response:
    """The confirmation: the claim number in a panel, its status as it moves."""
    claim = await platform.claims.claim(claim_id)
    context = {**await progress_context(request, claim), "claim": claim}
    names = await hospital_names(platform)
    return page(request, "claims/filed.html", context, tab="file", hospitals=names)


@router.get("/progress/{claim_id}")
async def progress(
    request: Request, session: CurrentSession, platform: PlatformDep, claim_id: str
) -> Response:
    """The status fragment htmx polls until the claim rests (approved, paid, rejected...)."""
    claim = await platform.claims.claim(claim_id)
    return page(request, "claims/_progress.html", await progress_context(request, claim))


async def progress_context(request: Request, claim: dict[str, Any]) -> dict[str, Any]:
    status = claim["status"]
    reached = STEPS.index(status) if status in STEPS else -1
    return {
        "claim": claim,
        "steps": STEPS,
        "reached": reached,
        "polling": status not in FINAL,
        "kind": status_kind(status),
        "names": await people(request, claim),
    }
