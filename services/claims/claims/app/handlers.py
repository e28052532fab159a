"""Command handlers of the claims service: load, decide (domain), append."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from union_events.appending import AppendRequest
from union_events.clock import Clock
from union_events.clock import today as union_today
from union_events.commands import Aggregate, execute, load
from union_events.errors import ConcurrencyError, Conflict, NotFound
from union_events.events import EventContext, NewEvent
from union_events.store import EventStore
from union_events.telemetry import joined_trace

from ..domain import codec, usage
from ..domain.claim import (
    Claim,
    decide_approve,
    decide_pay,
    decide_reject,
    decide_return,
    evolve_claim,
)
from ..domain.events import Actor
from ..domain.filing import invoice_key
from ..domain.rules import PlanRules, validate_rules
from . import facts, registry

claims: Aggregate[Claim, Any] = Aggregate(Claim, evolve_claim, codec.encode, codec.decode)


def claim_stream(claim_id: str) -> str:
    return f"claim-{claim_id}"


def invoice_stream(hospital: str, number: str) -> str:
    return "invoice-" + hashlib.sha256(invoice_key(hospital, number).encode()).hexdigest()[:40]


@dataclass
class Claims:
    store: EventStore
    # The federation's today (`Runtime.today`): what consumers decide on, never date.today().
    today: Clock = union_today


async def load_rules(store: EventStore, plan_id: str, year: int) -> PlanRules | None:
    events = await store.read_stream(facts.plan_stream(plan_id, year))
    return facts.rules_from_data(events[-1].data) if events else None


async def set_rules(c: Claims, rules: PlanRules, ctx: EventContext) -> PlanRules:
    rules = validate_rules(rules)
    event = NewEvent(facts.RULES_SET, facts.rules_to_data(rules), context=ctx)
    await c.store.append(facts.plan_stream(rules.plan_id, rules.year), None, [event])
    return rules


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
) -> Claim:
    """Return the claim to the filer for correction instead of rejecting it; what it holds of
    the annual cap is released (its resubmission is assessed again)."""
    return await _close(
        c, claim_id, ctx, lambda s: decide_return(s, reason=reason, today=today, actor=actor)
    )


async def _close(
    c: Claims, claim_id: str, ctx: EventContext, decide: Callable[[Claim], list[Any]]
) -> Claim:
    """Close a claim (reject or return) and give back what it holds of the annual cap: read
    from the usage stream and appended at the version read, so it is given back at most once
    (a return, then a rejection, releases once) and the usage never goes negative."""
    for _attempt in range(10):
        state, version = await load(c.store, claims, claim_stream(claim_id))
        events = decide(_known(state, claim_id))
        requests = [
            AppendRequest(
                claim_stream(claim_id), version, tuple(stored_event(e, ctx) for e in events)
            )
        ]
        if state.member_id and state.plan_id and state.year:
            usage_id = facts.usage_stream(state.member_id, state.plan_id, state.year)
            held = await c.store.read_stream(usage_id)
            release = usage.release_of(facts.usage_entries(held), claim_id)
            if release is not None:
                released = NewEvent(
                    facts.BENEFIT_RELEASED,
                    {"claim_id": claim_id, "amount": str(release.amount)},
                    context=ctx,
                )
                requests.append(AppendRequest(usage_id, len(held), (released,)))
        try:
            await c.store.append_batch(requests)
        except ConcurrencyError:
            continue
        return (await load(c.store, claims, claim_stream(claim_id)))[0]
    raise Conflict("the claim kept changing; try again", code="concurrent_change")


async def pay(
    c: Claims,
    claim_id: str,
    service_point: str,
    today: date,
    ctx: EventContext,
    actor: Actor | None = None,
) -> Claim:
    """Pay at a service point (one members registered): once, whichever points try at the
    same moment."""
    service_point = await registry.service_point(c.store, service_point)
    stream = claim_stream(claim_id)
    rules: PlanRules | None = None
    for attempt in range(100):
        history = await c.store.read_stream(stream)
        state = _known(fold(Claim(), [claims.decode(e.type, e.data) for e in history]), claim_id)
        if attempt == 0:  # a claim's life is one trace: the payment joins the filing's
            traceparent = joined_trace(history[0].context.traceparent, "pay claim")
            ctx = replace(ctx, traceparent=traceparent) if traceparent else ctx
            rules = await load_rules(c.store, state.plan_id or "", state.year or 0)
        events = decide_pay(
            state, service_point=service_point, rules=rules, today=today, actor=actor
        )
        stored = tuple(stored_event(e, ctx) for e in events)
        try:
            await c.store.append(stream, len(history), stored)
        except ConcurrencyError:
            continue  # another point moved it: decide again (it is paid, most likely)
        return fold(state, list(events))
    raise Conflict("the claim kept changing; try again", code="concurrent_change")


def fold(state: Claim, events: list[Any]) -> Claim:
    for event in events:
        state = evolve_claim(state, event)
    return state


def _known(state: Claim, claim_id: str) -> Claim:
    if state.status == "none":
        raise NotFound(f"no claim {claim_id}", code="claim_not_found")
    return state


def stored_event(event: object, ctx: EventContext) -> NewEvent:
    event_type, data = codec.encode(event)
    return NewEvent(event_type, data, context=ctx)
