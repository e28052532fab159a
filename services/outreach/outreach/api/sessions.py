"""Roving sessions: schedule, hold, cancel, check in; list and read."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from ..app import handlers
from ..domain.sessions import Session
from ..projections.queries import page
from ..projections.views import sessions_view
from .deps import (
    Context,
    CurrentPrincipal,
    DistrictPath,
    OutreachDep,
    PageNo,
    PageSize,
    Today,
    authorize,
    load_session,
)
from .schemas import CancelIn, CheckInIn, HeldIn, SessionIn

router = APIRouter(tags=["roving sessions"])


@router.post("/sessions", status_code=201)
async def schedule(
    body: SessionIn, o: OutreachDep, who: CurrentPrincipal, ctx: Context
) -> dict[str, Any]:
    """Schedule a roving session (巡回服务) at an open point, with the services offered."""
    authorize(who, "outreach.serve", body.point)
    state = await handlers.schedule_session(
        o, point=body.point, on=body.on, services=body.services, ctx=ctx
    )
    return _out(state)


@router.get("/sessions/{session_id}")
async def get_session(session_id: str, o: OutreachDep, who: CurrentPrincipal) -> dict[str, Any]:
    """A session: status, services, staff, person-times."""
    state = await load_session(o, session_id)
    authorize(who, "outreach.read", state.point)
    return _out(state)


@router.post("/sessions/{session_id}/held")
async def hold(
    session_id: str, body: HeldIn, o: OutreachDep, who: CurrentPrincipal, today: Today, ctx: Context
) -> dict[str, Any]:
    """Record that the session was held, with the staff present."""
    authorize(who, "outreach.serve", (await load_session(o, session_id)).point)
    return _out(await handlers.hold_session(o, session_id, body.staff, today, ctx))


@router.post("/sessions/{session_id}/cancel")
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
    return _out(await handlers.cancel_session(o, session_id, body.reason, today, ctx))


@router.post("/sessions/{session_id}/check-ins", status_code=201)
async def check_in(
    session_id: str, body: CheckInIn, o: OutreachDep, who: CurrentPrincipal, ctx: Context
) -> dict[str, Any]:
    """Check in a member by union card number, or count people anonymously."""
    authorize(who, "outreach.serve", (await load_session(o, session_id)).point)
    return _out(await handlers.check_in(o, session_id, body.card_no, body.anonymous, ctx))


@router.get("/sessions")
async def list_sessions(
    o: OutreachDep,
    who: CurrentPrincipal,
    district: DistrictPath,
    start: Annotated[date, Query(alias="from")],
    end: Annotated[date, Query(alias="to")],
    page_no: Annotated[PageNo, Query(alias="page")] = 1,
    size: PageSize = 50,
) -> dict[str, Any]:
    """A district's sessions in a period (from the read model)."""
    authorize(who, "outreach.read", district)
    c = sessions_view.c
    where = [c.district == district, c.on >= start, c.on <= end]
    return await page(o.store.engine, sessions_view, where, [c.on, c.session_id], page_no, size)


def _out(state: Session) -> dict[str, Any]:
    return {
        "session_id": state.session_id,
        "status": state.status,
        "point": state.point,
        "district": state.district,
        "on": state.on.isoformat() if state.on else None,
        "services": list(state.services),
        "staff": state.staff,
        "member_check_ins": len(state.cards),
        "anonymous_check_ins": state.anonymous,
        "person_times": state.person_times,
    }
