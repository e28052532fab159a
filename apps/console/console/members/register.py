"""Register a member (入会登记): the ID number checked as it is typed (by the members service,
so the rule is the service's own), a person already registered led to their record."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from ..clients import ServiceError
from ..web.deps import CurrentSession, PlatformDep
from ..web.errors import redirect
from ..web.forms import Problems
from ..web.templating import render
from .desk import refusal, scope_of, unit_options

router = APIRouter()
FIELD_OF_CODE = {
    "invalid_national_id": "national_id",
    "under_working_age": "national_id",
    "invalid_phone": "phone",
    "unknown_unit": "unit",
    "outside_jurisdiction": "unit",
}
ID_LENGTH = 18


@router.get("/new")
async def register_page(
    request: Request, session: CurrentSession, platform: PlatformDep
) -> Response:
    """The registration form."""
    units = await unit_options(platform.members, scope_of(session.identity))
    context = {"values": {}, "units": units}
    return render(request, "members/register.html", context, desk="members")


@router.post("/new/check-id")
async def check_national_id(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    national_id: Annotated[str, Form()] = "",
) -> Response:
    """Inline validation of the ID number as it is typed: the members service's own answer
    (the checksum rule), and whether this person is a member already."""
    typed = national_id.strip()
    check: dict[str, str] = {}
    if not typed:
        pass
    elif len(typed) < ID_LENGTH:
        check = {"kind": "neutral", "text": f"已输入 {len(typed)} 位，共 18 位。"}
    else:
        try:
            found = await platform.members.lookup("national_id", typed)
        except ServiceError as exc:
            if exc.status >= 500 or exc.status in (401, 403):
                raise
            check = {"kind": "bad", "text": refusal(exc, typed)}
        else:
            check = {"kind": "ok", "text": "身份证号校验通过。"}
            if found:
                check = {"kind": "bad", "text": "此人已是会员。", "member": found[0]}
    return render(request, "members/_id_check.html", {"check": check})


@router.post("/new")
async def register(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    national_id: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    phone: Annotated[str, Form()] = "",
    unit: Annotated[str, Form()] = "",
) -> Response:
    """Register; a person already registered goes to their record (rejoin if they left)."""
    values = {"national_id": national_id, "name": name, "phone": phone, "unit": unit}
    problems = Problems()
    for field, text in (
        ("national_id", "请填写身份证号"),
        ("name", "请填写姓名"),
        ("phone", "请填写手机号"),
        ("unit", "请选择基层工会"),
    ):
        if not values[field].strip():
            problems.add(field, text)
    if not problems:
        try:
            registered = await platform.members.register(**values)
        except ServiceError as exc:
            if exc.code == "member_exists" and exc.details.get("member_id"):
                return redirect(request, f"/members/{exc.details['member_id']}?notice=exists")
            if exc.status >= 500 or exc.status == 401:
                raise
            problems.add(FIELD_OF_CODE.get(exc.code, "national_id"), refusal(exc, national_id))
        else:
            return redirect(request, f"/members/{registered['member_id']}?notice=registered")
    units = await unit_options(platform.members, scope_of(session.identity))
    context = {"values": values, "units": units, "problems": problems}
    return render(request, "members/register.html", context, status_code=422, desk="members")
