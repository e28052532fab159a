"""Join requests a district received from outreach, for its clerks to follow up."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from union_events.http_deps import PageNo, PageSize
from union_events.orgs import validate_org_path

from ..projections.join_requests import join_requests_of
from .deps import CurrentPrincipal, authorize
from .schemas import JoinRequestPage

router = APIRouter(tags=["join requests"])


@router.get("/join-requests")
async def list_join_requests(
    request: Request,
    who: CurrentPrincipal,
    district: Annotated[
        str,
        Query(max_length=200, description="the district's org path, e.g. zhoushan/dinghai"),
    ],
    page: PageNo = 1,
    size: PageSize = 50,
) -> JoinRequestPage:
    """A district's join requests (from enrolment intakes), oldest first, page by page."""
    district = validate_org_path(district, depth=2, what="district")
    authorize(who, "members.read", district)
    engine = request.app.state.runtime.store.engine
    total, items = await join_requests_of(engine, district, page, size)
    return JoinRequestPage.model_validate(
        {"total": total, "page": page, "size": size, "join_requests": items}
    )
