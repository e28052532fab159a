"""Service points: register, open or close, list, read."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from union_events.commands import load
from union_events.errors import NotFound

from ..app import handlers
from ..app.aggregates import point_stream, points
from ..projections.queries import page
from ..projections.views import points_view
from .deps import (
    Context,
    CurrentPrincipal,
    DistrictPath,
    OutreachDep,
    PageNo,
    PageSize,
    Today,
    authorize,
)
from .schemas import PointIn, PointStatusIn

router = APIRouter(tags=["service points"])


@router.post("/points", status_code=201)
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
    return _out(state)


@router.get("/points")
async def list_points(
    o: OutreachDep,
    who: CurrentPrincipal,
    district: DistrictPath,
    kind: Annotated[str | None, Query(max_length=32)] = None,
    page_no: Annotated[PageNo, Query(alias="page")] = 1,
    size: PageSize = 50,
) -> dict[str, Any]:
    """A district's service points (from the read model)."""
    authorize(who, "outreach.read", district)
    where = [points_view.c.district == district]
    if kind:
        where.append(points_view.c.kind == kind)
    return await page(o.store.engine, points_view, where, [points_view.c.point], page_no, size)


@router.put("/points/{point:path}/status")
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
    return _out(state)


@router.get("/points/{point:path}")
async def get_point(point: str, o: OutreachDep, who: CurrentPrincipal) -> dict[str, Any]:
    """A service point, from its log."""
    authorize(who, "outreach.read", point)
    state, version = await load(o.store, points, point_stream(point))
    if version == 0:
        raise NotFound(f"no service point {point}", code="point_not_found")
    return _out(state)


def _out(state: Any) -> dict[str, Any]:
    return {
        "point": state.point,
        "district": state.district,
        "name": state.name,
        "kind": state.kind,
        "amenities": list(state.amenities),
        "hours": list(state.hours),
        "open": state.open,
        "registered_on": state.registered_on.isoformat() if state.registered_on else None,
    }
