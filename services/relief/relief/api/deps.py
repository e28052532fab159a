"""Dependencies of the relief routes, as Annotated aliases.

The caller is the verified bearer token's principal (`union_events.http_deps`). Each alias
below first checks the role half of the shared policy (`union_events.auth.permitted`: may
this role do that kind of thing at all?), then hands the route an `Actor` for the domain's
jurisdiction rule (`domain.jurisdiction.may_access`), which the handlers apply once they know
the record's district.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends
from union_events.auth import Principal, authorize, permitted
from union_events.http_deps import Context, CurrentPrincipal, Today, extra

from ..app.relief import Relief
from ..domain.jurisdiction import Actor

ReliefDep = Annotated[Relief, Depends(extra("relief"))]


def acting(action: str) -> Callable[[Principal], Awaitable[Actor]]:
    """A dependency: the caller as an `Actor`, once its role may do `action` (else 403)."""

    async def dependency(who: CurrentPrincipal) -> Actor:  # async: no worker-thread hop
        permitted(who, action)
        return Actor(who.role, who.org)

    return dependency


Reader = Annotated[Actor, Depends(acting("relief.read"))]
Filer = Annotated[Actor, Depends(acting("relief.file"))]  # hardship files, visits
StandardSetter = Annotated[Actor, Depends(acting("relief.standard"))]
BudgetSetter = Annotated[Actor, Depends(acting("relief.budget"))]
Applicant = Annotated[Actor, Depends(acting("relief.apply"))]
Decider = Annotated[Actor, Depends(acting("relief.decide"))]
Payer = Annotated[Actor, Depends(acting("relief.pay"))]
ReportReader = Annotated[Actor, Depends(acting("reports.read"))]

__all__ = [
    "Applicant",
    "BudgetSetter",
    "Context",
    "CurrentPrincipal",
    "Decider",
    "Filer",
    "Payer",
    "Reader",
    "ReliefDep",
    "ReportReader",
    "StandardSetter",
    "Today",
    "authorize",
]
