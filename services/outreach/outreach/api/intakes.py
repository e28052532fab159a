"""Intake of requests and complaints: record, follow, close with an outcome."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from union_events.errors_http import closed_list

from ..app import handlers
from ..domain.intake import Requester
from ..domain.vocabulary import yuan
from ..projections.lists import intake_list_view
from ..projections.queries import in_org, page
from . import shapes
from .answers import IntakeOut, IntakePage, IntakeStatus
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
    load_intake,
    load_session,
)
from .schemas import CloseIn, IntakeIn

router = APIRouter(tags=["intake"])


@router.post("/intakes", status_code=201, response_model=IntakeOut)
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
    return shapes.intake(state)


@router.get("/intakes/{intake_id}", response_model=IntakeOut)
async def get_intake(intake_id: str, o: OutreachDep, who: CurrentPrincipal) -> dict[str, Any]:
    """An intake's status, as the member follows it, and its outcome once closed."""
    state = await load_intake(o, intake_id)
    authorize(who, "outreach.read", state.district)
    return shapes.intake(state)


@router.post("/intakes/{intake_id}/close", response_model=IntakeOut)
async def close(
    intake_id: str, body: CloseIn, o: OutreachDep, who: CurrentPrincipal, today: Today, ctx: Context
) -> dict[str, Any]:
    """Close an intake with an outcome (e.g. wages_recovered and the amount)."""
    authorize(who, "outreach.intake", (await load_intake(o, intake_id)).district)
    amount = yuan(body.amount) if body.amount is not None else None
    closed = await handlers.close_intake(o, intake_id, body.outcome, amount, today, ctx)
    return shapes.intake(closed)


@router.get("/intakes", response_model=IntakePage)
async def list_intakes(
    o: OutreachDep,
    who: CurrentPrincipal,
    district: DistrictQuery = None,
    status: Annotated[
        IntakeStatus | None, Query(), closed_list(IntakeStatus, "intake_status")
    ] = None,
    page_no: Annotated[PageNo, Query(alias="page")] = 1,
    size: PageSize = 50,
) -> dict[str, Any]:
    """A district's intakes (by default the caller's), newest first, each as
    `GET /intakes/{id}` shows it (from the read model)."""
    c = intake_list_view.c
    where = [in_org(c.district, jurisdiction(who, "outreach.read", district))]
    where += [c.status == status] if status else []
    order = [c.recorded_on.desc(), c.intake_id]
    view = intake_list_view
    return await page(o.store.engine, view, where, order, page_no, size, shapes.intake_row)
