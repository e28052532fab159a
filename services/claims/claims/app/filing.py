"""Filing a claim and deciding its eligibility: against the member's enrolment heard from
members, the plan year's rules and the member's usage of the annual cap, all read at once."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection
from union_events.appending import AppendRequest
from union_events.commands import load
from union_events.errors import ConcurrencyError, Conflict, NotFound
from union_events.events import EventContext, NewEvent
from union_events.store import EventStore, read_streams_in

from ..domain.claim import Claim, decide_eligibility, decide_file, decide_resubmit
from ..domain.events import Actor, ClaimAssessed, EligibilityAwaited, Invoice
from ..domain.registry import Hospital, duplicate_invoice
from ..domain.rules import PlanRules
from . import facts, registry
from .handlers import Claims, claim_stream, claims, fold, invoice_stream, load_rules, stored_event


async def member_facts(
    store: EventStore, member_id: str, plan_id: str, year: int
) -> tuple[bool, str | None, list[str], int]:
    """(known member?, insuring district of that plan year or None, claims waiting, version)."""
    events = await store.read_stream(facts.member_stream(member_id))
    year_ = facts.member_year(events, [], None)
    return bool(events), year_.district(plan_id, year), year_.waiting, len(events)


async def member_year(
    store: EventStore,
    member_id: str,
    plan_id: str,
    year: int,
    conn: AsyncConnection | None = None,
    invoices: Sequence[str] = (),
) -> facts.MemberYear:
    """What a claim of this member and plan year is decided on, in one read (on `conn` when
    given: a consumer's transaction sees the reservations it made for earlier claims), with
    the invoice streams named (who holds each invoice)."""
    usage_id = facts.usage_stream(member_id, plan_id, year)
    plan_id_ = facts.plan_stream(plan_id, year)
    ids = [facts.member_stream(member_id), usage_id, plan_id_, *invoices]
    found = await (read_streams_in(conn, ids) if conn is not None else store.read_streams(ids))
    plan = found[plan_id_]
    rules = facts.rules_from_data(plan[-1].data) if plan else None
    held = {stream: found[stream] for stream in invoices}
    return facts.member_year(found[facts.member_stream(member_id)], found[usage_id], rules, held)


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
    documents: tuple[str, ...] = (),
    actor: Actor | None = None,
) -> Claim:
    """File a claim and check it against the member's enrolment, in one transaction: its
    invoices are claimed city-wide and its benefit reserved against the annual cap there."""
    claim_id = str(uuid.uuid4())
    service_point, invoices, hospitals = await registry.checked_places(
        c.store, service_point, invoices
    )

    def decide(state: Claim, rules: PlanRules | None) -> list[Any]:
        return list(
            decide_file(
                state,
                claim_id=claim_id,
                member_id=member_id,
                service_point=service_point,
                rules=rules,
                admitted_on=admitted_on,
                discharged_on=discharged_on,
                invoices=invoices,
                major_disease=major_disease,
                today=today,
                documents=documents,
                actor=actor,
            )
        )

    async def nothing_yet() -> tuple[Claim, int]:
        return Claim(), 0

    return await _file(
        c,
        claim_id,
        member_id,
        plan_id,
        admitted_on,
        invoices,
        hospitals,
        nothing_yet,
        decide,
        today,
        ctx,
    )


async def resubmit_claim(
    c: Claims,
    claim_id: str,
    *,
    service_point: str | None,
    admitted_on: date,
    discharged_on: date,
    invoices: tuple[Invoice, ...],
    documents: tuple[str, ...],
    major_disease: str | None,
    today: date,
    ctx: EventContext,
    actor: Actor | None = None,
) -> Claim:
    """Resubmit a claim returned for correction, under its own id: checked again from the start
    (deadline, invoices city-wide, eligibility, assessment). Its own invoices do not block it;
    those it no longer lists are released for other claims."""
    state, _ = await load(c.store, claims, claim_stream(claim_id))
    if state.status == "none":
        raise NotFound(f"no claim {claim_id}", code="claim_not_found")
    assert state.member_id and state.plan_id
    point, invoices, hospitals = await registry.checked_places(
        c.store, service_point or state.service_point or "", invoices
    )

    def decide(current: Claim, rules: PlanRules | None) -> list[Any]:
        return list(
            decide_resubmit(
                current,
                service_point=point,
                rules=rules,
                admitted_on=admitted_on,
                discharged_on=discharged_on,
                invoices=invoices,
                documents=documents,
                major_disease=major_disease,
                today=today,
                actor=actor,
            )
        )

    async def current() -> tuple[Claim, int]:
        return await load(c.store, claims, claim_stream(claim_id))

    return await _file(
        c,
        claim_id,
        state.member_id,
        state.plan_id,
        admitted_on,
        invoices,
        hospitals,
        current,
        decide,
        today,
        ctx,
    )


async def _file(
    c: Claims,
    claim_id: str,
    member_id: str,
    plan_id: str,
    admitted_on: date,
    invoices: tuple[Invoice, ...],
    hospitals: Mapping[str, Hospital],
    load_claim: Callable[[], Awaitable[tuple[Claim, int]]],
    decide: Callable[[Claim, PlanRules | None], list[Any]],
    today: date,
    ctx: EventContext,
) -> Claim:
    """Decide a filing (new or resubmitted) and its eligibility on one read of the member's
    facts, the plan year (of admission), the usage and the invoices; append all at the versions
    read, in one transaction. Whatever moved meanwhile, it is decided again."""
    wanted = {invoice_stream(i.hospital, i.number): i for i in invoices}
    for _attempt in range(10):
        before, version = await load_claim()
        held_before = {invoice_stream(i.hospital, i.number) for i in before.invoices}
        streams = sorted(set(wanted) | held_before)
        year = await member_year(c.store, member_id, plan_id, admitted_on.year, invoices=streams)
        events = decide(before, year.rules)
        state = fold(before, events)
        more: list[AppendRequest] = []
        if state.status == "filed":
            decided, more = _eligibility(state, year, today, ctx)
            events += decided
            state = fold(state, decided)
        try:
            invoice_claims = _invoice_claims(
                claim_id, wanted, hospitals, held_before, year.invoices, ctx
            )
        except Conflict as exc:
            raise await _with_holder_status(c, exc) from None
        requests = [
            AppendRequest(
                claim_stream(claim_id), version, tuple(stored_event(e, ctx) for e in events)
            ),
            *invoice_claims,
        ]
        try:
            await c.store.append_batch(requests + more)
        except ConcurrencyError:
            continue  # an invoice, the member's usage or enrolments moved meanwhile
        return state
    raise Conflict("the member's claims kept changing; try again", code="concurrent_change")


async def _with_holder_status(c: Claims, exc: Conflict) -> Conflict:
    """A duplicate invoice held by a claim that was returned for correction: say so, and that
    the way on is to resubmit that claim, not to file a new one."""
    holder = exc.details.get("held_by")
    if exc.code != "duplicate_invoice" or not holder:
        return exc
    state, _ = await load(c.store, claims, claim_stream(holder))
    if state.status != "returned":
        return exc
    return Conflict(
        f"{exc.message}; that claim was returned for correction: correct and resubmit it "
        f"(POST /claims/{holder}/resubmission) instead of filing a new claim",
        code=exc.code,
        **exc.details,
        held_by_status="returned",
    )


def _invoice_claims(
    claim_id: str,
    wanted: dict[str, Invoice],
    hospitals: Mapping[str, Hospital],
    held_before: set[str],
    found: dict[str, list[Any]],
    ctx: EventContext,
) -> list[AppendRequest]:
    """Claim each invoice that no claim holds; 409 for one another claim holds (city-wide,
    under the hospital's code and the number normalised: `invoice_stream`), naming the
    hospital and the claim holding it; an invoice this claim held and no longer lists is
    released."""
    requests = []
    for stream, invoice in wanted.items():
        holder = facts.invoice_holder(found[stream])
        if holder == claim_id:
            continue  # this claim's own invoice, resubmitted
        if holder is not None:
            raise duplicate_invoice(invoice, hospitals.get(invoice.hospital), holder)
        claimed = NewEvent(facts.INVOICE_CLAIMED, {"claim_id": claim_id}, context=ctx)
        requests.append(AppendRequest(stream, len(found[stream]), (claimed,)))
    for stream in sorted(held_before - set(wanted)):
        if facts.invoice_holder(found[stream]) == claim_id:
            released = NewEvent(facts.INVOICE_RELEASED, {"claim_id": claim_id}, context=ctx)
            requests.append(AppendRequest(stream, len(found[stream]), (released,)))
    return requests


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
        if conn is None:
            state, version = await load(c.store, claims, claim_stream(claim_id))
        else:  # in the consumer's transaction: read what it has written so far too
            history = (await read_streams_in(conn, [claim_stream(claim_id)]))[
                claim_stream(claim_id)
            ]
            state = fold(Claim(), [claims.decode(e.type, e.data) for e in history])
            version = len(history)
        if state.status not in ("filed", "awaiting_eligibility"):
            return
        assert state.member_id and state.plan_id and state.year
        year = await member_year(c.store, state.member_id, state.plan_id, state.year, conn)
        if enrolment is not None and enrolment[:2] == (state.plan_id, state.year):
            year.heard(state.plan_id, state.year, enrolment[2])  # not committed yet
        events, more = _eligibility(state, year, today, ctx)
        requests = [
            AppendRequest(
                claim_stream(claim_id), version, tuple(stored_event(e, ctx) for e in events)
            ),
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


async def reject_unenrolled(
    c: Claims, plan_id: str, year: int, waiting: list[str], today: date, ctx: EventContext
) -> dict[str, int]:
    """After the enrolment window closed: claims still waiting for an enrolment are rejected
    `not_enrolled` (decided again one by one; an enrolment heard meanwhile still counts)."""
    rules = await load_rules(c.store, plan_id, year)
    if rules is None:
        raise NotFound(f"the plan {plan_id} has no rules for {year}", code="unknown_plan_year")
    if not rules.enrolment_closed(today):
        closes = rules.enrolment_closes_on
        raise Conflict(
            f"enrolment for {plan_id} {year} is open"
            + (f" until {closes}" if closes else " (the rules set no closing date)"),
            code="enrolment_open",
        )
    outcome = {"rejected": 0, "assessed": 0}
    for claim_id in waiting:
        await resolve_eligibility(c, claim_id, today, ctx)
        state, _ = await load(c.store, claims, claim_stream(claim_id))
        outcome["rejected" if state.status == "rejected" else "assessed"] += 1
    return outcome
