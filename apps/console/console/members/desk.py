"""What the members desk's pages share: whose members a person serves, the units they may
choose, the plan years, how a member's status and a refused record read in Chinese."""

from __future__ import annotations

from typing import Any

from union_events.orgs import city_of, district_of, within

from ..auth.identity import Identity
from ..clients import MembersClient, ServiceError
from ..i18n.errors import NATIONAL_ID_REASONS
from ..i18n.labels import MEMBER_STATUSES, PLANS
from ..web.formats import date_cn
from ..web.pages import PageForbidden


def scope_of(identity: Identity) -> str:
    """The members a person serves: a city admin's city, anyone else's district."""
    if identity.role == "city_admin":
        return city_of(identity.org)
    return district_of(identity.org)


def may_erase(identity: Identity) -> bool:
    """Erasure is a city admin's (the console is stricter than the services' policy)."""
    return identity.role == "city_admin"


async def units_in(members: MembersClient, scope: str) -> list[tuple[str, str]]:
    """(path, name) of the units within `scope`, by name of district then unit."""
    orgs = await members.orgs(level="unit")
    return sorted(((o.path, o.name) for o in orgs if within(o.path, scope)), key=lambda u: u[0])


async def unit_options(members: MembersClient, scope: str) -> list[tuple[str, str]]:
    """Units for a select: 「定海区总工会 · 某某工会」 when they span districts."""
    units = await units_in(members, scope)
    if "/" in scope:
        return units
    names = {o.path: o.name for o in await members.orgs(level="district")}
    return [(path, f"{names.get(district_of(path), '')} · {name}") for path, name in units]


def status_of(member: dict[str, Any]) -> tuple[str, str]:
    """(label, tag kind) of a member's status."""
    return MEMBER_STATUSES.get(str(member.get("status")), (str(member.get("status")), "info"))


def plan_name(plan_id: str) -> str:
    return PLANS.get(plan_id, plan_id)


def plan_year_key(plan_id: str, year: int | str) -> str:
    return f"{plan_id}:{year}"


async def plan_year_options(members: MembersClient) -> list[tuple[str, str]]:
    """The plan years members knows of, newest first, with the end of their window."""
    options = []
    for py in sorted(
        await members.plan_years(), key=lambda p: (-int(p["year"]), str(p["plan_id"]))
    ):
        text = f"{plan_name(py['plan_id'])} {py['year']}年度"
        if py.get("enrolment_closes_on"):
            text += f"（参保期至{date_cn(py['enrolment_closes_on'])}）"
        options.append((plan_year_key(py["plan_id"], py["year"]), text))
    return options


def parse_plan_year(value: str) -> tuple[str, int] | None:
    plan_id, _, year = value.partition(":")
    return (plan_id, int(year)) if plan_id and year.isdigit() else None


OUTSIDE = (
    "该会员的会籍不在您所在的区县（{scope}），会员档案只能由会员所属区县的工作人员查看和办理。"
    "如需为该会员受理或支付互助金，请在“互助保障”中办理；其他业务请联系会员所属区县。"
)


async def member_or_refusal(
    members: MembersClient, member_id: str, scope_name: str
) -> dict[str, Any]:
    """The member's record, or the reason (in Chinese) the person may not open it."""
    try:
        return await members.member(member_id)
    except ServiceError as exc:
        if exc.status == 403:
            raise PageForbidden(OUTSIDE.format(scope=scope_name)) from exc
        raise


def refusal(exc: ServiceError, typed: str = "") -> str:
    """The service's refusal in Chinese; for an ID number, what exactly is wrong with it."""
    reason = str(exc.details.get("reason", ""))
    if exc.code == "invalid_national_id" and reason in NATIONAL_ID_REASONS:
        return NATIONAL_ID_REASONS[reason].format(length=len(typed.strip()))
    return exc.message
