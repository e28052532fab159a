"""Command handlers of the claims service: load, decide (domain), append."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection
from union_events.appending import AppendRequest
from union_events.commands import Aggregate, execute, load
from union_events.errors import ConcurrencyError, Conflict, NotFound
from union_events.events import EventContext, NewEvent
from union_events.store import EventStore

from ..domain import codec
from ..domain.claim import (
    Claim,
    decide_approve,
    decide_eligibility,
    decide_file,
    decide_pay,
    decide_reject,
    decide_return,
    evolve_claim,
)
from ..domain.events import ClaimAssessed, EligibilityAwaited, Invoice
from ..domain.filing import invoice_key
from ..domain.rules import PlanRules, validate_rules
from . import facts

claims: Aggregate[Claim, Any] = Aggregate(Claim, evolve_claim, codec.encode, codec.decode)


def claim_stream(claim_id: str) -> str:
    return f"claim-{claim_id}"


def invoice_stream(hospital: str, number: str) -> str:
    return "invoice-" + hashlib.sha256(invoice_key(hospital, number).encode()).hexdigest()[:40]


@dataclass
class Claims:
    store: EventStore


async def load_rules(store: EventStore, plan_id: str, year: int) -> PlanRules | None:
    events = await store.read_stream(facts.plan_stream(plan_id, year))
    return facts.rules_from_data(events[-1].data) if events else None


async def set_rules(c: Claims, rules: PlanRules, ctx: EventContext) -> PlanRules:
    rules = validate_rules(rules)
    event = NewEvent(facts.RULES_SET, facts.rules_to_data(rules), context=ctx)
    await c.store.append(facts.plan_stream(rules.plan_id, rules.year), None, [event])
    return rules


async def member_facts(store: EventStore, member_id: str, plan_id: str, year: int):
    """(known member?, insuring district of that plan year or None, claims waiting, version)."""
    events = await store.read_stream(facts.member_stream(member_id))
    year_ = facts.member_year(events, [], None)
    return bool(events), year_.district(plan_id, year), year_.waiting, len(events)


async def member_year(
    store: EventStore, member_id: str, plan_id: str, year: int
) -> facts.MemberYear:
    """What a claim of this member and plan year is decided on, in one read."""
    usage_id = facts.usage_stream(member_id, plan_id, year)
    plan_id_ = facts.plan_stream(plan_id, year)
    found = await store.read_streams([facts.member_stream(member_id), usage_id, plan_id_])
    plan = found[plan_id_]
    rules = facts.rules_from_data(plan[-1].data) if plan else None
    return facts.member_year(found[facts.member_stream(member_id)], found[usage_id], rules)


async def file_claim(
    c: Claims,
    *,
    member_id: str,
    service_point: str,
    plan_id: str,
    admitted_on: date,
    discharged_on: date,
    invoices: tuple[Invoice, ...],
    major_disease: str | None,
    today: date,
    ctx: EventContext,
) -> Claim:
    """File a claim and check it against the member's enrolment, in one transaction: its
    invoices are claimed city-wide and its benefit reserved against the annual cap there."""
    claim_id = str(uuid.uuid4())
    for _attempt in range(10):
        year = await member_year(c.store, member_id, plan_id, discharged_on.year)
        events: list[Any] = decide_file(
            Claim(),
            claim_id=claim_id,
            member_id=member_id,
            service_point=service_point,
            rules=year.rules,
            admitted_on=admitted_on,
            discharged_on=discharged_on,
            invoices=invoices,
            major_disease=major_disease,
            today=today,
        )
        state = _fold(Claim(), events)
        more: list[AppendRequest] = []
        if state.status == "filed":
            decided, more = _eligibility(state, year, today, ctx)
            events += decided
            state = _fold(state, decided)
        requests = [
            AppendRequest(claim_stream(claim_id), 0, tuple(_stored(e, ctx) for e in events))
        ]
        for invoice in invoices:
            claimed = NewEvent(facts.INVOICE_CLAIMED, {"claim_id": claim_id}, context=ctx)
            requests.append(
                AppendRequest(invoice_stream(invoice.hospital, invoice.number), 0, (claimed,))
            )
        try:
            await c.store.append_batch(requests + more)
        except ConcurrencyError as exc:
            if exc.stream_id.startswith("invoice-"):
                raise Conflict(
                    "an invoice of this claim was claimed before (city-wide)",
                    code="duplicate_invoice",
                ) from exc
            continue  # the member's usage or enrolments moved meanwhile: decide again
        return state
    raise Conflict("the member's claims kept changing; try again", code="concurrent_change")


async def resolve_eligibility(
    c: Claims,
    claim_id: str,
    today: date,
    ctx: EventContext,
    conn: AsyncConnection | None = None,
    enrolment: tuple[str, int, str] | None = None,
) -> None:
    """Check a waiting claim against the member's enrolment; assess it if enrolled.

    The benefit is reserved on the member's usage stream at the version read, in the same
    transaction as the assessment: concurrent claims of one member never pass the annual cap.
    """
    for _attempt in range(10):
        state, version = await load(c.store, claims, claim_stream(claim_id))
        if state.status not in ("filed", "awaiting_eligibility"):
            return
        assert state.member_id and state.plan_id and state.year
        year = await member_year(c.store, state.member_id, state.plan_id, state.year)
        if enrolment is not None and enrolment[:2] == (state.plan_id, state.year):
            year.heard(state.plan_id, state.year, enrolment[2])  # not committed yet
        events, more = _eligibility(state, year, today, ctx)
        requests = [
            AppendRequest(claim_stream(claim_id), version, tuple(_stored(e, ctx) for e in events)),
            *more,
        ]
        try:
            if conn is None:
                await c.store.append_batch(requests)
            else:
                for request in requests:
                    await c.store.append_in(conn, request)
            return
        except ConcurrencyError:
            if conn is not None:
                raise  # the consumer's transaction retries the whole message
    raise Conflict("the member's claims kept changing; try again", code="concurrent_change")


def _eligibility(
    state: Claim, year: facts.MemberYear, today: date, ctx: EventContext
) -> tuple[list[Any], list[AppendRequest]]:
    """Decide eligibility; with the appends that keep the annual cap and the waiting list."""
    assert state.member_id and state.plan_id and state.year and state.claim_id
    district = year.district(state.plan_id, state.year)
    # Not enrolled (yet): wait. Over NATS "not enrolled" and "enrolment not heard yet" look
    # the same; claims still waiting when the enrolment window closes are for a sweep.
    events = decide_eligibility(
        state,
        enrolled=True if district is not None else None,
        insuring_district=district,
        rules=year.rules,
        used_this_year=facts.used(year.usage),
        today=today,
    )
    more = []
    for event in events:
        if isinstance(event, ClaimAssessed):
            reserved = NewEvent(
                facts.BENEFIT_RESERVED,
                {"claim_id": state.claim_id, "amount": str(event.benefit)},
                context=ctx,
            )
            usage_id = facts.usage_stream(state.member_id, state.plan_id, state.year)
            more.append(AppendRequest(usage_id, len(year.usage), (reserved,)))
        if isinstance(event, EligibilityAwaited):
            waiting = NewEvent(facts.CLAIM_WAITING, {"claim_id": state.claim_id}, context=ctx)
            # At the version read: an enrolment noted meanwhile makes this fail and the
            # claim is decided again, so a claim never waits for an enrolment already heard.
            member = facts.member_stream(state.member_id)
            more.append(AppendRequest(member, year.member_version, (waiting,)))
    return events, more


def _fold(state: Claim, events: list[Any]) -> Claim:
    for event in events:
        state = evolve_claim(state, event)
    return state


async def approve(c: Claims, claim_id: str, officer: str, today: date, ctx: EventContext) -> Claim:
    outcome = await execute(
        c.store,
        claims,
        claim_stream(claim_id),
        lambda s: decide_approve(_known(s, claim_id), officer=officer, today=today),
        context=ctx,
    )
    return outcome.state


async def reject(
    c: Claims, claim_id: str, code: str, reason: str, today: date, ctx: EventContext
) -> Claim:
    """Reject with a coded reason; a benefit reserved against the annual cap is released."""
    return await _close(
        c, claim_id, ctx, lambda s: decide_reject(s, code=code, reason=reason, today=today)
    )


async def return_to_filer(
    c: Claims, claim_id: str, reason: str, today: date, ctx: EventContext
) -> Claim:
    """Return the claim to the filer for correction instead of rejecting it."""
    return await _close(c, claim_id, ctx, lambda s: decide_return(s, reason=reason, today=today))


async def _close(
    c: Claims, claim_id: str, ctx: EventContext, decide: Callable[[Claim], list[Any]]
) -> Claim:
    for _attempt in range(10):
        state, version = await load(c.store, claims, claim_stream(claim_id))
        events = decide(_known(state, claim_id))
        requests = [
            AppendRequest(claim_stream(claim_id), version, tuple(_stored(e, ctx) for e in events))
        ]
        if state.benefit is not None and state.member_id and state.plan_id and state.year:
            released = NewEvent(
                facts.BENEFIT_RELEASED,
                {"claim_id": claim_id, "amount": str(state.benefit)},
                context=ctx,
            )
            usage_id = facts.usage_stream(state.member_id, state.plan_id, state.year)
            requests.append(AppendRequest(usage_id, None, (released,)))
        try:
            await c.store.append_batch(requests)
        except ConcurrencyError:
            continue
        return (await load(c.store, claims, claim_stream(claim_id)))[0]
    raise Conflict("the claim kept changing; try again", code="concurrent_change")


async def pay(
    c: Claims, claim_id: str, service_point: str, today: date, ctx: EventContext
) -> Claim:
    """Pay at a service point: once, whichever points try at the same moment."""
    rules: PlanRules | None = None
    for _attempt in range(100):
        state, version = await load(c.store, claims, claim_stream(claim_id))
        _known(state, claim_id)
        if rules is None:
            rules = await load_rules(c.store, state.plan_id or "", state.year or 0)
        events = decide_pay(state, service_point=service_point, rules=rules, today=today)
        stored = tuple(_stored(e, ctx) for e in events)
        try:
            await c.store.append(claim_stream(claim_id), version, stored)
        except ConcurrencyError:
            continue  # another point moved it: decide again (it is paid, most likely)
        return _fold(state, list(events))
    raise Conflict("the claim kept changing; try again", code="concurrent_change")


def _known(state: Claim, claim_id: str) -> Claim:
    if state.status == "none":
        raise NotFound(f"no claim {claim_id}", code="claim_not_found")
    return state


def _stored(event: object, ctx: EventContext) -> NewEvent:
    event_type, data = codec.encode(event)
    return NewEvent(event_type, data, context=ctx)
