"""Who may read or change what: an org-path prefix rule on the file's district.

The HTTP edge makes the actor from the bearer token's principal, once the shared policy
(`union_events.auth.permitted`) said the role may do that kind of thing at all.
"""

from __future__ import annotations

from union_events.errors import Forbidden
from union_events.orgs import district_of, is_org_path, within
from union_events.published import vocabularies

ROLES = vocabularies.ROLES


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
    if not is_org_path(org) or not is_org_path(district):
        return False
    if role == "service":
        return True
    if role == "city_admin":
        return org.count("/") == 0 and within(district, org)
    if role in ("district_officer", "clerk"):
        return "/" in org and district_of(org) == district
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

    @property
    def scope(self) -> str:
        """The org path the actor acts for: staff at a unit or a point act for its district
        (as `union_events.auth.Principal.scope`)."""
        if self.role in ("district_officer", "clerk") and self.org.count("/") > 1:
            return district_of(self.org)
        return self.org

    def __repr__(self) -> str:
        return f"Actor({self.role!r}, {self.org!r})"


def authorize(actor: Actor | None, district: str) -> None:
    if actor is not None:
        require_access(actor.org, district, actor.role)
