"""Intake of requests and complaints: record, follow, close with an outcome."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from union_events.commands import load
from union_events.errors import NotFound

from ..app import handlers
from ..app.aggregates import intake_stream, intakes
from ..domain.intake import Intake, Requester
from ..domain.vocabulary import yuan
from ..projections.queries import page
from ..projections.views import intakes_view
from .deps import Context, DistrictPath, OutreachDep, PageNo, PageSize, Today
from .schemas import CloseIn, IntakeIn

router = APIRouter(tags=["intake"])


@router.post("/intakes", status_code=201)
async def record(body: IntakeIn, o: OutreachDep, today: Today, ctx: Context) -> dict[str, Any]:
    """Record a request or complaint at a session, a station or online; routed by kind."""
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
async def get_intake(intake_id: str, o: OutreachDep) -> dict[str, Any]:
    """An intake's status, as the member follows it, and its outcome once closed."""
    state, version = await load(o.store, intakes, intake_stream(intake_id))
    if version == 0:
        raise NotFound(f"no intake {intake_id}", code="intake_not_found")
    return _out(state)


@router.post("/intakes/{intake_id}/close")
async def close(
    intake_id: str, body: CloseIn, o: OutreachDep, today: Today, ctx: Context
) -> dict[str, Any]:
    """Close an intake with an outcome (e.g. wages_recovered and the amount)."""
    amount = yuan(body.amount) if body.amount is not None else None
    return _out(await handlers.close_intake(o, intake_id, body.outcome, amount, today, ctx))


@router.get("/intakes")
async def list_intakes(
    o: OutreachDep,
    district: DistrictPath,
    status: Annotated[str | None, Query(max_length=16)] = None,
    page_no: Annotated[PageNo, Query(alias="page")] = 1,
    size: PageSize = 50,
) -> dict[str, Any]:
    """A district's intakes, newest first (from the read model)."""
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
