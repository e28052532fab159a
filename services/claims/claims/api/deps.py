"""Dependencies of the claims routes, and who may act on a claim.

A claim belongs to two places: the service point it was filed at and the member's insuring
district. Whoever's jurisdiction covers either may read it; an officer of either may decide
it (`union_events.auth.authorize_any`, the policy for a resource of several places). Paying
is authorized on the paying service point; the pooling rule (`domain.pooling`) then says
whether that point may pay (403 `pooling_forbids`). Where the plan pools at city level, clerks
of the city's other districts may read a claim too: they may pay it.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends
from union_events.auth import Principal, authorize, authorize_any
from union_events.errors import Forbidden
from union_events.http_deps import Context, CurrentPrincipal, Today, extra

from ..app import handlers
from ..app.handlers import Claims
from ..domain.claim import Claim
from ..domain.rules import pooling_level_on

ClaimsDep = Annotated[Claims, Depends(extra("claims"))]


async def pools_at_city_level(c: Claims, claim: Claim, today: date) -> bool:
    rules = await handlers.load_rules(c.store, claim.plan_id or "", claim.year or 0)
    return rules is not None and bool(rules.pooling) and pooling_level_on(rules, today) == "city"


async def authorize_read(who: Principal, c: Claims, claim: Claim, today: date) -> None:
    places = (claim.service_point, claim.insuring_district, claim.paid_at)
    try:
        authorize_any(who, "claims.read", places, owner_member_id=claim.member_id)
    except Forbidden:
        if who.role == "member" or not await pools_at_city_level(c, claim, today):
            raise
        authorize_any(who, "claims.read", places, cross_district=True)


__all__ = ["ClaimsDep", "Context", "CurrentPrincipal", "Today", "authorize", "authorize_any"]
