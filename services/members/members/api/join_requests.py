"""Join requests a district received from outreach, for its clerks to follow up."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from union_events.http_deps import PageNo, PageSize

from ..projections.join_requests import join_requests_of
from .deps import CurrentPrincipal, authorize

router = APIRouter(tags=["join requests"])


@router.get("/join-requests")
async def list_join_requests(
    request: Request,
    who: CurrentPrincipal,
    district: Annotated[
        str,
        Query(
            pattern=r"^[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*$",
            description="the district's org path, e.g. zhoushan/dinghai",
        ),
    ],
    page: PageNo = 1,
    size: PageSize = 50,
) -> dict[str, Any]:
    """A district's join requests (from enrolment intakes), oldest first, page by page."""
    authorize(who, "members.read", district)
    engine = request.app.state.runtime.store.engine
    total, items = await join_requests_of(engine, district, page, size)
    return {"total": total, "page": page, "size": size, "join_requests": items}
