"""Roving sessions: schedule, hold, cancel, check in; list and read."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from ..app import handlers
from ..projections.queries import in_org, page
from ..projections.views import sessions_view
from . import shapes
from .answers import CheckedIn, SessionOut, SessionPage
from .deps import (
    Context,
    CurrentPrincipal,
    DistrictQuery,
    OutreachDep,
    PageNo,
    PageSize,
    Today,
    authorize,
    check_period,
    jurisdiction,
    load_session,
)
from .schemas import CancelIn, CheckInIn, HeldIn, SessionIn

router = APIRouter(tags=["roving sessions"])


@router.post("/sessions", status_code=201, response_model=SessionOut)
async def schedule(
    body: SessionIn, o: OutreachDep, who: CurrentPrincipal, ctx: Context
) -> dict[str, Any]:
    """Schedule a roving session (巡回服务) at an open point, with the services offered."""
    authorize(who, "outreach.serve", body.point)
    state = await handlers.schedule_session(
        o, point=body.point, on=body.on, services=body.services, ctx=ctx
    )
    return shapes.session(state)


@router.get("/sessions/{session_id}", response_model=SessionOut)
async def get_session(session_id: str, o: OutreachDep, who: CurrentPrincipal) -> dict[str, Any]:
    """A session: status, services, staff, person-times."""
    state = await load_session(o, session_id)
    authorize(who, "outreach.read", state.point)
    return shapes.session(state)


@router.post("/sessions/{session_id}/held", response_model=SessionOut)
async def hold(
    session_id: str, body: HeldIn, o: OutreachDep, who: CurrentPrincipal, today: Today, ctx: Context
) -> dict[str, Any]:
    """Record that the session was held, with the staff present."""
    authorize(who, "outreach.serve", (await load_session(o, session_id)).point)
    return shapes.session(await handlers.hold_session(o, session_id, body.staff, today, ctx))


@router.post("/sessions/{session_id}/cancel", response_model=SessionOut)
async def cancel(
    session_id: str,
    body: CancelIn,
    o: OutreachDep,
    who: CurrentPrincipal,
    today: Today,
    ctx: Context,
) -> dict[str, Any]:
    """Cancel a scheduled session, with a reason."""
    authorize(who, "outreach.serve", (await load_session(o, session_id)).point)
    return shapes.session(await handlers.cancel_session(o, session_id, body.reason, today, ctx))


@router.post("/sessions/{session_id}/check-ins", status_code=201, response_model=CheckedIn)
async def check_in(
    session_id: str, body: CheckInIn, o: OutreachDep, who: CurrentPrincipal, ctx: Context
) -> dict[str, Any]:
    """Check in a member outreach knows by member id (`counted_as: member`), a union card
    number (outreach cannot tie a card to a member: `counted_as: anonymous`, once a card), or
    a number of people counted anonymously."""
    authorize(who, "outreach.serve", (await load_session(o, session_id)).point)
    checked = await handlers.check_in(
        o,
        session_id,
        card_no=body.card_no,
        member_id=body.member_id,
        anonymous=body.anonymous,
        ctx=ctx,
    )
    return shapes.session(checked.session) | {"counted_as": checked.counted_as}


@router.get("/sessions", response_model=SessionPage)
async def list_sessions(
    o: OutreachDep,
    who: CurrentPrincipal,
    start: Annotated[date, Query(alias="from")],
    end: Annotated[date, Query(alias="to")],
    district: DistrictQuery = None,
    page_no: Annotated[PageNo, Query(alias="page")] = 1,
    size: PageSize = 50,
) -> dict[str, Any]:
    """A district's sessions (by default the caller's) in a period, each as
    `GET /sessions/{id}` shows it (from the read model)."""
    org = jurisdiction(who, "outreach.read", district)
    check_period(start, end)
    c = sessions_view.c
    where = [in_org(c.district, org), c.on >= start, c.on <= end]
    order = [c.on, c.session_id]
    return await page(
        o.store.engine, sessions_view, where, order, page_no, size, shapes.session_row
    )
