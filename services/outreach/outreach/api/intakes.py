"""Intake of requests and complaints: record, follow, close with an outcome."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ..app import handlers
from ..domain.intake import Intake, Requester
from ..domain.vocabulary import yuan
from ..projections.queries import page
from ..projections.views import intakes_view
from .deps import (
    Context,
    CurrentPrincipal,
    DistrictPath,
    OutreachDep,
    PageNo,
    PageSize,
    Today,
    authorize,
    load_intake,
    load_session,
)
from .schemas import CloseIn, IntakeIn

router = APIRouter(tags=["intake"])


@router.post("/intakes", status_code=201)
async def record(
    body: IntakeIn, o: OutreachDep, who: CurrentPrincipal, today: Today, ctx: Context
) -> dict[str, Any]:
    """Record a request or complaint at a session, a station or online; routed by kind."""
    where = body.district or body.place
    if where is None and body.session_id is not None:
        # an unknown session is the domain's 422 (session_not_held); a city checks it
        where = (await load_session(o, body.session_id, missing_ok=True)).point or None
    authorize(who, "outreach.intake", where)
    state = await handlers.record_intake(
        o,
        kind=body.kind,
        channel=body.channel,
        session_id=body.session_id,
        place=body.place,
        district=body.district,
        requester=Requester(body.member_id, body.card_no),
        summary=body.summary,
        today=today,
        ctx=ctx,
    )
    return _out(state)


@router.get("/intakes/{intake_id}")
async def get_intake(intake_id: str, o: OutreachDep, who: CurrentPrincipal) -> dict[str, Any]:
    """An intake's status, as the member follows it, and its outcome once closed."""
    state = await load_intake(o, intake_id)
    authorize(who, "outreach.read", state.district)
    return _out(state)


@router.post("/intakes/{intake_id}/close")
async def close(
    intake_id: str, body: CloseIn, o: OutreachDep, who: CurrentPrincipal, today: Today, ctx: Context
) -> dict[str, Any]:
    """Close an intake with an outcome (e.g. wages_recovered and the amount)."""
    authorize(who, "outreach.intake", (await load_intake(o, intake_id)).district)
    amount = yuan(body.amount) if body.amount is not None else None
    return _out(await handlers.close_intake(o, intake_id, body.outcome, amount, today, ctx))


@router.get("/intakes")
async def list_intakes(
    o: OutreachDep,
    who: CurrentPrincipal,
    district: DistrictPath,
    status: Annotated[str | None, Query(max_length=16)] = None,
    page_no: Annotated[PageNo, Query(alias="page")] = 1,
    size: PageSize = 50,
) -> dict[str, Any]:
    """A district's intakes, newest first (from the read model)."""
    authorize(who, "outreach.read", district)
    c = intakes_view.c
    where = [c.district == district] + ([c.status == status] if status else [])
    order = [c.recorded_on.desc(), c.intake_id]
    return await page(o.store.engine, intakes_view, where, order, page_no, size)


def _out(state: Intake) -> dict[str, Any]:
    return {
        "intake_id": state.intake_id,
        "status": state.status,
        "kind": state.kind,
        "district": state.district,
        "routed_to": state.routed_to,
        "accepted_by": state.accepted_by,
        "reference": state.reference,
        "outcome": state.outcome,
        "amount": f"{state.amount:.2f}" if state.amount is not None else None,
    }
