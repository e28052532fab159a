"""Command handlers of the claims service: load, decide (domain), append."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from union_events.clock import Clock
from union_events.clock import today as union_today
from union_events.commands import Work, execute, load, run
from union_events.errors import NotFound
from union_events.events import EventContext
from union_events.orgs import validate_org_path
from union_events.store import EventStore
from union_events.telemetry import joined_trace

from ..domain import usage
from ..domain.claim import (
    Claim,
    decide_approve,
    decide_pay,
    decide_reject,
    decide_return,
    evolve_claim,
)
from ..domain.events import Actor
from ..domain.registry import require_service_point
from ..domain.rules import PlanRules, validate_rules
from . import facts, registry
from .aggregates import claim_stream as claim_stream
from .aggregates import claims as claims
from .aggregates import invoice_stream as invoice_stream


@dataclass
class Claims:
    store: EventStore
    # The federation's today (`Runtime.today`): what consumers decide on, never date.today().
    today: Clock = union_today


async def load_rules(store: EventStore, plan_id: str, year: int) -> PlanRules | None:
    return (await load(store, facts.plans, facts.plan_stream(plan_id, year)))[0]


async def set_rules(c: Claims, rules: PlanRules, ctx: EventContext) -> PlanRules:
    """Set a plan year's rules (a newer set replaces the last)."""
    rules = validate_rules(rules)

    async def command(work: Work) -> PlanRules:
        work.emit(facts.plans, facts.plan_stream(rules.plan_id, rules.year), [rules])
        return rules

    return await run(c.store, command, context=ctx)


async def approve(
    c: Claims,
    claim_id: str,
    officer: str,
    today: date,
    ctx: EventContext,
    actor: Actor | None = None,
) -> Claim:
    outcome = await execute(
        c.store,
        claims,
        claim_stream(claim_id),
        lambda s: decide_approve(_known(s, claim_id), officer=officer, today=today, actor=actor),
        context=ctx,
    )
    return outcome.state


async def reject(
    c: Claims,
    claim_id: str,
    code: str,
    reason: str,
    today: date,
    ctx: EventContext,
    actor: Actor | None = None,
) -> Claim:
    """Reject with a coded reason; what the claim holds of the annual cap is released."""
    return await _close(
        c,
        claim_id,
        ctx,
        lambda s: decide_reject(s, code=code, reason=reason, today=today, actor=actor),
    )


async def return_to_filer(
    c: Claims,
    claim_id: str,
    reason: str,
    today: date,
    ctx: EventContext,
    actor: Actor | None = None,
    code: str = "other",
) -> Claim:
    """Return the claim to the filer for correction instead of rejecting it, with a return
    reason's code and the officer's words; what it holds of the annual cap is released (its
    resubmission is assessed again)."""
    return await _close(
        c,
        claim_id,
        ctx,
        lambda s: decide_return(s, reason=reason, today=today, code=code, actor=actor),
    )


async def _close(
    c: Claims, claim_id: str, ctx: EventContext, decide: Callable[[Claim], list[Any]]
) -> Claim:
    """Close a claim (reject or return) and give back what it holds of the annual cap: read
    from the usage stream and appended at the version read, so it is given back at most once
    (a return, then a rejection, releases once) and the usage never goes negative."""

    async def command(work: Work) -> Claim:
        state = _known(await work.load(claims, claim_stream(claim_id)), claim_id)
        events = decide(state)
        work.emit(claims, claim_stream(claim_id), events)
        if state.member_id and state.plan_id and state.year:
            usage_id = facts.usage_stream(state.member_id, state.plan_id, state.year)
            release = usage.release_of(await work.load(facts.usage, usage_id), claim_id)
            if release is not None:
                work.emit(facts.usage, usage_id, [release])
        return fold(state, events)

    return await run(c.store, command, context=ctx)


async def pay(
    c: Claims,
    claim_id: str,
    service_point: str,
    today: date,
    ctx: EventContext,
    actor: Actor | None = None,
) -> Claim:
    """Pay at a service point (one members registered): once, whichever points try at the
    same moment (the one decided second finds the claim paid)."""
    point = validate_org_path(service_point, what="service point")
    stream = claim_stream(claim_id)

    async def command(work: Work) -> Claim:
        history = (await work.read(stream, registry.org_stream(point)))[stream]
        found = await work.load(registry.orgs, registry.org_stream(point))
        paying = require_service_point(point, found)
        state = _known(await work.load(claims, stream), claim_id)
        # a claim's life is one trace: the payment joins the filing's
        traceparent = joined_trace(history[0].context.traceparent, "pay claim")
        if traceparent:
            work.context = replace(work.context, traceparent=traceparent)
        plan = facts.plan_stream(state.plan_id or "", state.year or 0)
        rules = await work.load(facts.plans, plan)
        events = decide_pay(state, service_point=paying, rules=rules, today=today, actor=actor)
        work.emit(claims, stream, events)
        return fold(state, list(events))

    return await run(c.store, command, context=ctx)


def fold(state: Claim, events: list[Any]) -> Claim:
    for event in events:
        state = evolve_claim(state, event)
    return state


def _known(state: Claim, claim_id: str) -> Claim:
    if state.status == "none":
        raise NotFound(f"no claim {claim_id}", code="claim_not_found")
    return state
