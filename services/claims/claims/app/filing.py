"""Filing a claim and deciding its eligibility: against the member's enrolment heard from
members, the plan year's rules and the member's usage of the annual cap, all read at once."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection
from union_events.commands import Work, load, run
from union_events.errors import Conflict, NotFound
from union_events.events import EventContext
from union_events.store import EventStore
from union_events.uuids import random_uuid

from ..domain.claim import Claim, decide_eligibility, decide_file, decide_resubmit
from ..domain.events import Actor, ClaimAssessed, EligibilityAwaited, Invoice
from ..domain.facts import ClaimWaiting, InvoiceClaimed, InvoiceReleased
from ..domain.registry import Hospital, duplicate_invoice
from ..domain.rules import PlanRules
from ..domain.usage import Reserved
from . import facts, registry
from .handlers import Claims, claim_stream, claims, fold, invoice_stream, load_rules


async def member_facts(
    store: EventStore, member_id: str, plan_id: str, year: int
) -> tuple[bool, str | None, list[str], int]:
    """(known member?, insuring district of that plan year or None, claims waiting, version)."""
    member, version = await load(store, facts.members, facts.member_stream(member_id))
    return member.known, member.district(plan_id, year), list(member.waiting), version


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
    claim_id = random_uuid()
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

    return await _file(
        c,
        claim_id,
        member_id,
        plan_id,
        admitted_on,
        invoices,
        hospitals,
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

    return await _file(
        c,
        claim_id,
        state.member_id,
        state.plan_id,
        admitted_on,
        invoices,
        hospitals,
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
    decide: Callable[[Claim, PlanRules | None], list[Any]],
    today: date,
    ctx: EventContext,
) -> Claim:
    """Decide a filing (new or resubmitted) and its eligibility on one read of the claim, the
    member's facts, the plan year (of admission), the usage and the invoices; append all at the
    versions read, in one transaction. Whatever moved meanwhile, it is decided again."""
    wanted = {invoice_stream(i.hospital, i.number): i for i in invoices}
    stream = claim_stream(claim_id)

    async def command(work: Work) -> Claim:
        year = await facts.member_year(
            work, member_id, plan_id, admitted_on.year, wanted, also=[stream]
        )
        before = await work.load(claims, stream)
        held_before = {invoice_stream(i.hospital, i.number) for i in before.invoices}
        for dropped in sorted(held_before - set(wanted)):  # a resubmission's old invoices
            year.invoices[dropped] = await work.load(facts.invoices, dropped)
        events = decide(before, year.rules)
        state = fold(before, events)
        more: list[tuple[str, object]] = []
        if state.status == "filed":
            decided, more = _eligibility(state, year, today)
            events += decided
            state = fold(state, decided)
        try:
            invoice_claims = _invoice_claims(claim_id, wanted, hospitals, held_before, year)
        except Conflict as exc:
            raise await _with_holder_status(c, exc) from None
        work.emit(claims, stream, events)
        for fact_stream, fact in [*invoice_claims, *more]:
            facts.note(work, fact_stream, fact)
        return state

    return await run(c.store, command, context=ctx)


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
    year: facts.MemberYear,
) -> list[tuple[str, object]]:
    """Claim each invoice that no claim holds; 409 for one another claim holds (city-wide,
    under the hospital's code and the number normalised: `invoice_stream`), naming the
    hospital and the claim holding it; an invoice this claim held and no longer lists is
    released."""
    decided: list[tuple[str, object]] = []
    for stream, invoice in wanted.items():
        holder = year.invoices[stream]
        if holder == claim_id:
            continue  # this claim's own invoice, resubmitted
        if holder is not None:
            raise duplicate_invoice(invoice, hospitals.get(invoice.hospital), holder)
        decided.append((stream, InvoiceClaimed(claim_id)))
    for stream in sorted(held_before - set(wanted)):
        if year.invoices[stream] == claim_id:
            decided.append((stream, InvoiceReleased(claim_id)))
    return decided


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
    In a consumer's transaction (`conn`) it reads what that transaction wrote so far too.
    """
    stream = claim_stream(claim_id)

    async def command(work: Work) -> None:
        state = await work.load(claims, stream)
        if state.status not in ("filed", "awaiting_eligibility"):
            return
        assert state.member_id and state.plan_id and state.year
        year = await facts.member_year(work, state.member_id, state.plan_id, state.year)
        if enrolment is not None and enrolment[:2] == (state.plan_id, state.year):
            year.heard(state.plan_id, state.year, enrolment[2])  # not committed yet
        events, more = _eligibility(state, year, today)
        work.emit(claims, stream, events)
        for fact_stream, fact in more:
            facts.note(work, fact_stream, fact)

    await run(c.store, command, context=ctx, conn=conn)


def _eligibility(
    state: Claim, year: facts.MemberYear, today: date
) -> tuple[list[Any], list[tuple[str, object]]]:
    """Decide eligibility; with the facts that keep the annual cap and the waiting list, each
    appended at the version read (`run`)."""
    assert state.member_id and state.plan_id and state.year and state.claim_id
    district = year.district(state.plan_id, state.year)
    # Not enrolled (yet): wait. Over NATS "not enrolled" and "enrolment not heard yet" look
    # the same; claims still waiting when the enrolment window closes are for a sweep.
    events = decide_eligibility(
        state,
        enrolled=True if district is not None else None,
        insuring_district=district,
        rules=year.rules,
        used_this_year=year.used,
        today=today,
    )
    more: list[tuple[str, object]] = []
    for event in events:
        if isinstance(event, ClaimAssessed):
            usage_id = facts.usage_stream(state.member_id, state.plan_id, state.year)
            more.append((usage_id, Reserved(state.claim_id, event.benefit)))
        if isinstance(event, EligibilityAwaited):
            # At the version read: an enrolment noted meanwhile makes this fail and the
            # claim is decided again, so a claim never waits for an enrolment already heard.
            more.append((facts.member_stream(state.member_id), ClaimWaiting(state.claim_id)))
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
