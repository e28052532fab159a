"""Dependencies of the relief routes, as Annotated aliases.

The caller is the verified bearer token's principal (`union_events.http_deps`). Each alias
below first checks the role half of the platform's one policy (`union_events.auth.permitted`:
may this role do that kind of thing at all?), then hands the route the principal as the
`Actor`; the handlers check the jurisdiction half (`union_events.auth.covers`, through
`domain.jurisdiction`) once they know the record's district.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated, Any

from fastapi import Depends
from union_events.auth import Principal, authorize, permitted
from union_events.errors import Forbidden
from union_events.http_deps import Context, CurrentPrincipal, PageNo, PageSize, Today, extra
from union_events.orgs import is_org_path, validate_org_path

from ..app.relief import Relief
from ..domain.jurisdiction import Actor
from ..domain.jurisdiction import authorize as authorize_district

ReliefDep = Annotated[Relief, Depends(extra("relief"))]


def acting(action: str) -> Callable[[Principal], Awaitable[Actor]]:
    """A dependency: the caller as an `Actor`, once its role may do `action` (else 403)."""

    async def dependency(who: CurrentPrincipal) -> Actor:  # async: no worker-thread hop
        permitted(who, action)
        return who

    return dependency


def scope_of(actor: Actor, district: str | None) -> str:
    """The district a list or report is about: the one named (if the caller may see it), else
    the caller's own jurisdiction (a clerk at a point: its district; a city admin: the city)."""
    if district is not None:
        district = validate_org_path(district, depth=2, what="the district")
        authorize_district(actor, district)
        return district
    if not is_org_path(actor.scope):
        raise Forbidden(f"{actor.org!r} names no jurisdiction", code="outside_jurisdiction")
    return actor.scope


def page_out(
    name: str, items: Sequence[dict[str, Any]], total: int, page: int, size: int
) -> dict[str, Any]:
    """A page of a list: the items, and `total` (共 N 条), `page` and `size` (as every
    service's lists)."""
    return {name: list(items), "total": total, "page": page, "size": size}


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
    "PageNo",
    "PageSize",
    "Payer",
    "Reader",
    "ReliefDep",
    "ReportReader",
    "StandardSetter",
    "Today",
    "authorize",
    "page_out",
    "scope_of",
]
