"""Dependencies of the outreach routes, as Annotated aliases, and the checks routes share."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query
from union_events.auth import Principal, authorize, permitted
from union_events.commands import load
from union_events.errors import NotFound
from union_events.http_deps import (
    Context,
    CurrentPrincipal,
    PageNo,
    PageSize,
    Today,
    check_period,
    extra,
)
from union_events.orgs import validate_org_path

from ..app.aggregates import intake_stream, intakes, session_stream, sessions
from ..app.handlers import Outreach
from ..domain.intake import Intake
from ..domain.sessions import Session

OutreachDep = Annotated[Outreach, Depends(extra("outreach"))]
DistrictQuery = Annotated[
    str | None,
    Query(
        max_length=200,
        description="the district's org path, e.g. zhoushan/dinghai; by default the caller's "
        "own (a clerk at zhoushan/dinghai/center: zhoushan/dinghai; a city admin: the city)",
    ),
]


def jurisdiction(who: Principal, action: str, district: str | None) -> str:
    """The district a list or report is of: the one named (checked against the caller's
    jurisdiction), else the caller's own scope (a district, or a whole city)."""
    if district is not None:
        district = validate_org_path(district, depth=2, what="district")
    org = district or who.scope
    authorize(who, action, org)
    return org


async def load_session(o: Outreach, session_id: str, missing_ok: bool = False) -> Session:
    """A session (its point is what authorization checks); 404 if none (unless missing_ok)."""
    state, version = await load(o.store, sessions, session_stream(session_id))
    if version == 0 and not missing_ok:
        raise NotFound(f"no session {session_id}", code="session_not_found")
    return state


async def load_intake(o: Outreach, intake_id: str) -> Intake:
    state, version = await load(o.store, intakes, intake_stream(intake_id))
    if version == 0:
        raise NotFound(f"no intake {intake_id}", code="intake_not_found")
    return state


__all__ = [
    "Context",
    "CurrentPrincipal",
    "DistrictQuery",
    "OutreachDep",
    "PageNo",
    "PageSize",
    "Today",
    "authorize",
    "check_period",
    "jurisdiction",
    "load_intake",
    "load_session",
    "permitted",
]
