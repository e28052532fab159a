"""Service points: register, open or close, list, read."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from union_events.commands import load
from union_events.errors import NotFound
from union_events.errors_http import closed_list
from union_events.published.vocabularies import PointKind

from ..app import handlers
from ..app.aggregates import point_stream, points
from ..projections.queries import in_org, page
from ..projections.views import points_view
from . import shapes
from .answers import PointOut, PointPage
from .deps import (
    Context,
    CurrentPrincipal,
    DistrictQuery,
    OutreachDep,
    PageNo,
    PageSize,
    Today,
    authorize,
    jurisdiction,
)
from .schemas import PointIn, PointStatusIn

router = APIRouter(tags=["service points"])


@router.post("/points", status_code=201, response_model=PointOut)
async def register(
    body: PointIn, o: OutreachDep, who: CurrentPrincipal, today: Today, ctx: Context
) -> dict[str, Any]:
    """Register a roving point, an outdoor-worker station (with amenities) or a workers' home."""
    authorize(who, "outreach.manage", body.point)
    state = await handlers.register_point(
        o,
        point=body.point,
        name=body.name,
        kind=body.kind,
        amenities=body.amenities,
        hours=body.hours,
        today=today,
        ctx=ctx,
    )
    return shapes.point(state)


@router.get("/points", response_model=PointPage)
async def list_points(
    o: OutreachDep,
    who: CurrentPrincipal,
    district: DistrictQuery = None,
    kind: Annotated[PointKind | None, Query(), closed_list(PointKind, "point_kind")] = None,
    page_no: Annotated[PageNo, Query(alias="page")] = 1,
    size: PageSize = 50,
) -> dict[str, Any]:
    """A district's service points (by default the caller's), each as `GET /points/{path}`
    shows it (from the read model)."""
    c = points_view.c
    where = [in_org(c.district, jurisdiction(who, "outreach.read", district))]
    if kind:
        where.append(c.kind == kind)
    return await page(
        o.store.engine, points_view, where, [c.point], page_no, size, shapes.point_row
    )


@router.put("/points/{point:path}/status", response_model=PointOut)
async def set_status(
    point: str,
    body: PointStatusIn,
    o: OutreachDep,
    who: CurrentPrincipal,
    today: Today,
    ctx: Context,
) -> dict[str, Any]:
    """Open or close a service point (with a reason when closing)."""
    authorize(who, "outreach.manage", point)
    state = await handlers.set_point_open(o, point, body.open, body.reason, today, ctx)
    return shapes.point(state)


@router.get("/points/{point:path}", response_model=PointOut)
async def get_point(point: str, o: OutreachDep, who: CurrentPrincipal) -> dict[str, Any]:
    """A service point, from its log."""
    authorize(who, "outreach.read", point)
    state, version = await load(o.store, points, point_stream(point))
    if version == 0:
        raise NotFound(f"no service point {point}", code="point_not_found")
    return shapes.point(state)
