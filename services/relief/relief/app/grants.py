"""Relief grants: apply → approve or reject → disburse against the district's budget →
receipt."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from union_events.commands import Work, execute, load, run
from union_events.errors import NotFound
from union_events.events import EventContext
from union_events.orgs import validate_org_path

from ..domain.application import (
    Application,
    decide_approve,
    decide_disburse,
    decide_draft,
    decide_receipt,
    decide_reject,
    decide_set_recipient,
    decide_submit,
)
from ..domain.budget import decide_commit
from ..domain.jurisdiction import Actor, authorize
from .aggregates import application_stream, applications, budget_stream, budgets
from .members import known_member
from .relief import Relief


async def apply(
    r: Relief,
    *,
    member_id: str,
    district: str,
    kind: str,
    amount: Decimal,
    actor: Actor | None,
    today: date,
    ctx: EventContext,
) -> Application:
    """A clerk's application, for a member relief knows, submitted at once."""
    district = validate_org_path(district, depth=2, what="the district of an application")
    authorize(actor, district)
    member_id = await known_member(r.store, member_id)
    application_id = str(uuid.uuid4())
    outcome = await execute(
        r.store,
        applications,
        application_stream(application_id),
        lambda s: decide_draft(
            s,
            application_id=application_id,
            member_id=member_id,
            district=district,
            kind=kind,
            intake_id=None,
            source="clerk",
            on=today,
            amount=amount,
        ),
        context=ctx,
    )
    return outcome.state


async def get_application(r: Relief, application_id: str, actor: Actor | None) -> Application:
    state, _ = await load(r.store, applications, application_stream(application_id))
    if state.status == "none":
        raise NotFound(f"no application {application_id}", code="application_not_found")
    authorize(actor, state.district)
    return state


async def _step(
    r: Relief,
    application_id: str,
    actor: Actor | None,
    ctx: EventContext,
    decide: Callable[[Application], list[Any]],
) -> Application:
    await get_application(r, application_id, actor)
    stream = application_stream(application_id)
    return (await execute(r.store, applications, stream, decide, context=ctx)).state


async def set_recipient(
    r: Relief,
    application_id: str,
    member_id: str,
    actor: Actor | None,
    today: date,
    ctx: EventContext,
) -> Application:
    """Name the member a draft is for: a member relief knows."""
    await get_application(r, application_id, actor)
    member_id = await known_member(r.store, member_id)
    return await _step(
        r,
        application_id,
        actor,
        ctx,
        lambda s: decide_set_recipient(s, member_id=member_id, on=today),
    )


async def submit(
    r: Relief,
    application_id: str,
    amount: Decimal,
    actor: Actor | None,
    today: date,
    ctx: EventContext,
) -> Application:
    """Complete a draft: its recipient must be a member relief knows (an intake's or a claim's
    member may not be, or none was given)."""
    state = await get_application(r, application_id, actor)
    if state.status == "drafted" and state.member_id is not None:
        await known_member(r.store, state.member_id)
    return await _step(
        r, application_id, actor, ctx, lambda s: decide_submit(s, amount=amount, on=today)
    )


async def approve(
    r: Relief,
    application_id: str,
    amount: Decimal | None,
    actor: Actor | None,
    today: date,
    ctx: EventContext,
) -> Application:
    by = actor.role if actor else "district_officer"
    return await _step(
        r, application_id, actor, ctx, lambda s: decide_approve(s, amount=amount, by=by, on=today)
    )


async def reject(
    r: Relief,
    application_id: str,
    reason: str,
    actor: Actor | None,
    today: date,
    ctx: EventContext,
) -> Application:
    return await _step(
        r, application_id, actor, ctx, lambda s: decide_reject(s, reason=reason, on=today)
    )


async def confirm_receipt(
    r: Relief, application_id: str, actor: Actor | None, today: date, ctx: EventContext
) -> Application:
    return await _step(r, application_id, actor, ctx, lambda s: decide_receipt(s, on=today))


async def disburse(
    r: Relief, application_id: str, actor: Actor | None, today: date, ctx: EventContext
) -> Application:
    """Pay the approved amount; the budget is charged in the same append, at the version read,
    so concurrent disbursements never overspend it (each is decided again on a conflict)."""
    await get_application(r, application_id, actor)
    app_stream = application_stream(application_id)

    async def command(work: Work) -> Application:
        state = await work.load(applications, app_stream)
        paid = decide_disburse(state, on=today)
        b_stream = budget_stream(state.district, today.year, state.kind)
        budget = await work.load(budgets, b_stream)
        assert state.amount_approved is not None
        committed = decide_commit(
            budget, application_id=application_id, amount=state.amount_approved
        )
        work.emit(applications, app_stream, paid)
        work.emit(budgets, b_stream, committed)
        for event in paid:
            state = applications.evolve(state, event)
        return state

    return await run(r.store, command, context=ctx)
