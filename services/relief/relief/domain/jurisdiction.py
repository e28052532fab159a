"""Who may read or change a district's relief records: the platform's one policy
(`union_events.auth`), asked about the record's district.

The HTTP edge hands the handlers the bearer token's principal as the `Actor`, once the role
half of the policy (`union_events.auth.permitted`) said the role may do that kind of thing at
all; the handlers check the jurisdiction half (`union_events.auth.covers`) here, once they
know the record's district.
"""

from __future__ import annotations

from union_events.auth import Principal, allowed, covers
from union_events.errors import Forbidden
from union_events.published import vocabularies

ROLES = vocabularies.ROLES

# Who calls: the verified principal (role, jurisdiction). The HTTP edge always names one; the
# handlers still take None for callers inside the service (none today).
Actor = Principal


def may_access(actor_org: str, district: str, role: str) -> bool:
    """May an actor of `role` at `actor_org` read or change relief records of `district`?
    As the policy says (`union_events.auth.covers`):

    - city_admin: every district of its city (its org path a city);
    - district_officer and clerk: their own district only (a clerk at a service point or a
      unit acts for the district the point belongs to);
    - service: the districts its org path covers (a city's system: the city's), no others;
    - member and anything else: no.
    """
    return covers(Principal("", role, actor_org), district)


def may_set_standard(actor_org: str, district: str, role: str) -> bool:
    """低保标准 is set by a city admin (any district of the city) or that district's officer
    (`relief.standard`)."""
    return allowed(Principal("", role, actor_org), "relief.standard", district)


def require_access(actor_org: str, district: str, role: str) -> None:
    if not may_access(actor_org, district, role):
        raise Forbidden(
            f"a {role} of {actor_org} may not act on records of {district}",
            code="outside_jurisdiction",
        )


def authorize(actor: Actor | None, district: str) -> None:
    if actor is not None and not covers(actor, district):
        raise Forbidden(
            f"a {actor.role} of {actor.org} may not act on records of {district}",
            code="outside_jurisdiction",
        )
