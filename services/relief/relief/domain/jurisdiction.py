"""Who may read or change what: an org-path prefix rule on the file's district.

The HTTP edge makes the actor from the bearer token's principal, once the shared policy
(`union_events.auth.permitted`) said the role may do that kind of thing at all.
"""

from __future__ import annotations

from union_events.errors import Forbidden

ROLES = ("city_admin", "district_officer", "clerk", "member", "service")


def district_of(org_path: str) -> str:
    """The district of an org path: its first two segments (`zhoushan/dinghai/u1` →
    `zhoushan/dinghai`)."""
    return "/".join(org_path.strip().strip("/").split("/")[:2])


def _within(path: str, scope: str) -> bool:
    return path == scope or path.startswith(scope + "/")


def may_access(actor_org: str, district: str, role: str) -> bool:
    """May an actor of `role` at `actor_org` read or change relief records of `district`?

    - city_admin: every district of its city (the district path starts with the city's);
    - district_officer and clerk: their own district only (a clerk at a service point or a
      unit acts for the district the point belongs to);
    - service: other systems, trusted (no personal data leaves through them anyway);
    - member and anything else: no.
    """
    org = actor_org.strip().strip("/")
    district = district.strip().strip("/")
    if not org or not district:
        return False
    if role == "service":
        return True
    if role == "city_admin":
        return org.count("/") == 0 and _within(district, org)
    if role in ("district_officer", "clerk"):
        return district_of(org) == district
    return False


def may_set_standard(actor_org: str, district: str, role: str) -> bool:
    """低保标准 is set by a city admin (any district of the city) or that district's officer."""
    return role in ("city_admin", "district_officer") and may_access(actor_org, district, role)


def require_access(actor_org: str, district: str, role: str) -> None:
    if not may_access(actor_org, district, role):
        raise Forbidden(
            f"a {role} of {actor_org} may not act on records of {district}",
            code="outside_jurisdiction",
        )


class Actor:
    """Who calls: a role and a jurisdiction (org path). The HTTP edge always names one, from
    the token; the handlers still take None for callers inside the service (none today)."""

    __slots__ = ("org", "role")

    def __init__(self, role: str, org: str) -> None:
        self.role = role
        self.org = org.strip().strip("/")

    def __repr__(self) -> str:
        return f"Actor({self.role!r}, {self.org!r})"


def authorize(actor: Actor | None, district: str) -> None:
    if actor is not None:
        require_access(actor.org, district, actor.role)
