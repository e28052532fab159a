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
from union_events.commands import load
from union_events.errors import Forbidden, NotFound
from union_events.http_deps import Context, CurrentPrincipal, Today, extra

from ..app import handlers
from ..app.handlers import Claims
from ..domain.claim import Claim
from ..domain.events import Actor
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


async def load_claim(c: Claims, claim_id: str) -> Claim:
    """The claim as its stream holds it (404 `claim_not_found` if it has none)."""
    state, version = await load(c.store, handlers.claims, handlers.claim_stream(claim_id))
    if version == 0:
        raise NotFound(f"no claim {claim_id}", code="claim_not_found")
    return state


async def may_decide(who: Principal, c: Claims, claim_id: str) -> None:
    """An officer of the filing point's or the insuring district's jurisdiction decides."""
    state = await load_claim(c, claim_id)
    authorize_any(who, "claims.decide", (state.service_point, state.insuring_district))


def actor_of(who: Principal) -> Actor:
    """Who acts, as the claim's events record it: the token's subject and role."""
    return Actor(who.subject, who.role)


def list_scope(who: Principal) -> str | None:
    """The org path whose claims the caller may list (None: a member, their own only)."""
    return None if who.role == "member" else who.scope


__all__ = ["ClaimsDep", "Context", "CurrentPrincipal", "Today", "authorize", "authorize_any"]
