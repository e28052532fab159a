"""Who calls, and what they may do: the one authorization policy of every service.

A caller is a `Principal` (subject, role, jurisdiction org path) read from a verified bearer
token (`verification.py`; `tokens.py`: Ed25519 JWTs). `authorize(principal, action,
resource_org, ...)` is the policy: the role must hold the action (`ROLE_ACTIONS`) and the
resource's org path must lie under the caller's jurisdiction (`covers`), with the
cross-district exceptions the domain allows; `authorize_any` is the same for a resource that
belongs to several places (a claim). Every role acts only where its org path says, a `service`
too. Standard library only (a domain may use it: relief's jurisdiction rule is this policy);
`http_deps` reads the header, routes call `authorize`. docs/security.md explains the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from .errors import DomainError, Forbidden
from .orgs import ORG_PATH, district_of, is_org_path, validate_org_path, within

_CLERK: Final = frozenset(
    {
        "members.read",
        "members.register",
        "members.change",  # transfer, leave, enrol
        "signups.take",  # post QR sign-ups (扫码入会)
        "claims.read",
        "claims.file",
        "claims.pay",
        "relief.read",
        "relief.file",  # open, review, close hardship files; follow-up visits
        "relief.apply",  # apply for a grant, complete a draft
        "relief.pay",  # disburse a grant, record its receipt (回执)
        "outreach.read",
        "outreach.serve",  # roving sessions, check-ins, hand-outs
        "outreach.intake",  # record and close requests and complaints
    }
)
_OFFICER: Final = _CLERK | {
    "orgs.manage",  # register units and service points
    "members.erase",  # erase personal data (crypto-shredding)
    "signups.open",  # open a QR sign-up campaign with its targets
    "claims.decide",  # approve, reject, return to the filer
    "relief.standard",  # the district's minimum living standard (低保标准)
    "relief.budget",
    "relief.decide",  # approve or reject a grant
    "outreach.manage",  # service points, benefit campaigns
    "reports.read",
}
_MEMBER: Final = frozenset({"members.read", "claims.read", "outreach.read"})  # own records only
_SERVICE: Final = frozenset(  # another system: reads, plus the feeds and jobs it runs
    {
        "members.read",
        "claims.read",
        "outreach.read",
        "reports.read",
        "signups.take",  # the QR sign-up page
        "outreach.intake",  # the online intake portal
        "claims.sweep",  # reject the unenrolled claims once enrolment closed
        "relief.run",  # the monthly card subsidy run
    }
)
# A city admin's alone: a plan year's rules, the city's hospital registry (claims).
ACTIONS: Final = _OFFICER | _SERVICE | {"plans.manage", "hospitals.manage"}

# The policy table: what each role may do within its jurisdiction (an org-path prefix).
ROLE_ACTIONS: Final[dict[str, frozenset[str]]] = {
    "city_admin": ACTIONS,  # everything, in its city
    "district_officer": _OFFICER,
    "clerk": _CLERK,
    "member": _MEMBER,
    "service": _SERVICE,
}

# Roles whose jurisdiction is their district even when their org path names a unit or a point.
STAFF_OF_DISTRICT: Final = frozenset({"district_officer", "clerk"})
# The level a role's org path must name to give it a jurisdiction at all, as the console's
# accounts require: a city admin's is a city; a district officer's or clerk's lies in a
# district (the district, a unit or a point). A `service` acts where its org path says, at any
# level; a `member` on their own records only.
CITY_ROLES: Final = frozenset({"city_admin"})

# Where a plan pools at city level, these may act on a resource of another district of the
# caller's city when the caller passes `cross_district=True` (it knows the plan pools so).
CROSS_DISTRICT: Final[dict[str, frozenset[str]]] = {
    "district_officer": frozenset({"claims.read", "claims.file", "claims.pay"}),
    "clerk": frozenset({"claims.read", "claims.file", "claims.pay"}),
}


@dataclass(frozen=True)
class Principal:
    """The verified caller: `subject` (a user, a member id, a system), role, jurisdiction."""

    subject: str
    role: str
    org: str

    @property
    def city(self) -> str:
        return self.org.split("/")[0]

    @property
    def fits(self) -> bool:
        """Does the org path name the level the role acts at (`CITY_ROLES`, `STAFF_OF_DISTRICT`)?
        A token whose org does not fit its role has no jurisdiction (`outside_jurisdiction`)."""
        org = self.org.strip().strip("/")
        if not is_org_path(org):
            return False
        if self.role in CITY_ROLES:
            return "/" not in org
        if self.role in STAFF_OF_DISTRICT:
            return "/" in org
        return True

    @property
    def scope(self) -> str:
        """The org path the caller acts for. Staff at a unit or a service point act for its
        district (a clerk at `zhoushan/dinghai/center` serves the members of
        `zhoushan/dinghai`), in every service alike; others for their own org path."""
        org = self.org.strip().strip("/")
        if self.role in STAFF_OF_DISTRICT and org.count("/") > 1 and is_org_path(org):
            return district_of(org)
        return org


class Unauthenticated(DomainError):
    """No usable bearer token (missing, malformed, forged or expired): 401."""

    status = 401
    code = "unauthenticated"


def authorize(
    principal: Principal,
    action: str,
    resource_org: str | None,
    *,
    owner_member_id: str | None = None,
    cross_district: bool = False,
) -> None:
    """Raise `Forbidden` unless `principal` may do `action` on a resource of `resource_org`.

    `resource_org=None` means a city-wide resource (plan rules, reports across districts): only
    a caller whose jurisdiction is a whole city passes. `owner_member_id` names the member the
    record belongs to (a member may read only their own). `cross_district=True` says the plan
    pools at city level, so a clerk may file and pay for another district of the same city.
    """
    permitted(principal, action)
    role = principal.role
    if role == "member":
        if owner_member_id is None or owner_member_id != principal.subject:
            raise Forbidden("a member may read only their own records", code="not_own_record")
        return
    if resource_org is not None and not ORG_PATH.fullmatch(resource_org.strip().strip("/")):
        raise DomainError(f"{resource_org!r} is not an org path", code="invalid_org_path")
    if not principal.fits:
        raise Forbidden(
            f"a {role}'s org path names {'a city' if role in CITY_ROLES else 'a district'}; "
            f"{principal.org!r} does not",
            code="outside_jurisdiction",
        )
    if resource_org is None:
        if principal.org.strip("/") == principal.city:
            return
        raise Forbidden(
            f"{action} is city-wide; {principal.org} is not a city", code="outside_jurisdiction"
        )
    if covers(principal, resource_org):
        return
    same_city = resource_org.strip("/").split("/")[0] == principal.city
    if cross_district and same_city and action in CROSS_DISTRICT.get(role, frozenset()):
        return
    raise Forbidden(
        f"a {role} of {principal.org} may not do {action} on {resource_org}",
        code="outside_jurisdiction",
    )


def covers(principal: Principal, org: str) -> bool:
    """The jurisdiction half of the policy: does the caller act for `org`? Its org path fits its
    role and its scope (`Principal.scope`) contains `org`, segment by segment. A member's
    jurisdiction covers nothing (a member acts on their own records only); no path, no org."""
    org = org.strip().strip("/")
    if principal.role == "member" or not is_org_path(org) or not principal.fits:
        return False
    return within(org, principal.scope)


def allowed(
    principal: Principal,
    action: str,
    resource_org: str | None,
    *,
    owner_member_id: str | None = None,
    cross_district: bool = False,
) -> bool:
    """`authorize` as a yes or no."""
    try:
        authorize(
            principal,
            action,
            resource_org,
            owner_member_id=owner_member_id,
            cross_district=cross_district,
        )
    except Forbidden:
        return False
    return True


def authorize_any(
    principal: Principal,
    action: str,
    orgs: Sequence[str | None],
    *,
    owner_member_id: str | None = None,
    cross_district: bool = False,
) -> None:
    """`authorize` for a resource that belongs to several places (a claim: the point it was
    filed at, the member's insuring district, the point that paid it): the caller may when its
    jurisdiction covers any of them. Else, with `cross_district`, the exception is weighed on
    the last place named; `Forbidden` from it when nothing allows. No place: city-wide."""
    places = [org for org in orgs if org]
    for org in places[:-1]:
        if allowed(principal, action, org, owner_member_id=owner_member_id):
            return
    last = places[-1] if places else None
    authorize(
        principal, action, last, owner_member_id=owner_member_id, cross_district=cross_district
    )


def report_scope(who: Principal, district: str | None) -> str:
    """The city or district a report covers: the one asked for (if the caller may read its
    reports), else the caller's own (a city-level caller: the city)."""
    if district is not None:
        district = validate_org_path(district, depth=2, what="district")
        authorize(who, "reports.read", district)
        return district
    if who.org.strip("/") == who.city:
        authorize(who, "reports.read", None)
        return who.city
    authorize(who, "reports.read", who.scope)
    return who.scope


def permitted(principal: Principal, action: str) -> None:
    """The role half of the policy alone (`Forbidden` code `forbidden_role`); routes whose
    jurisdiction a domain rule checks once the record is loaded use it (relief's files)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if action not in ROLE_ACTIONS.get(principal.role, frozenset()):
        raise Forbidden(
            f"a {principal.role} may not do {action}", code="forbidden_role", action=action
        )


_VERIFICATION: Final = frozenset({"KeySource", "PublicKey", "load_public_key", "verify", "time"})


def __getattr__(name: str) -> Any:
    """Verification moved to `union_events.verification` (it needs jwt and cryptography; the
    policy here does not): `from union_events.auth import KeySource` still works."""
    if name in _VERIFICATION:
        from . import verification

        return getattr(verification, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
