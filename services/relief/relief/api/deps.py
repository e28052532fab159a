"""Dependencies of the relief routes, as Annotated aliases.

`ActorDep` is a STAND-IN until signed tokens land (issue 7): the caller names itself with the
headers `X-Actor-Role` and `X-Actor-Org`. Without them nothing is enforced; with them the
jurisdiction rule (`domain.jurisdiction.may_access`) is, with 403. When JWTs arrive only this
dependency changes.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header
from union_events.errors import DomainError
from union_events.http_deps import Context, Today, extra

from ..app.relief import Relief
from ..domain.jurisdiction import ROLES, Actor

ReliefDep = Annotated[Relief, Depends(extra("relief"))]


def _actor(
    x_actor_role: Annotated[str | None, Header()] = None,
    x_actor_org: Annotated[str | None, Header()] = None,
) -> Actor | None:
    if x_actor_role is None and x_actor_org is None:
        return None
    if not x_actor_role or not x_actor_org:
        raise DomainError("X-Actor-Role and X-Actor-Org come together", code="invalid_actor")
    if x_actor_role not in ROLES:
        raise DomainError(f"X-Actor-Role is one of {', '.join(ROLES)}", code="invalid_actor")
    return Actor(x_actor_role, x_actor_org)


ActorDep = Annotated[Actor | None, Depends(_actor)]

__all__ = ["ActorDep", "Context", "ReliefDep", "Today"]
