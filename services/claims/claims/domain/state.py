"""A claim's state, folded from its events. `evolve_claim` only assigns: it never re-checks.

Statuses (the HTTP contract's): filed → awaiting_eligibility → assessed → approved → paid, or
rejected; `returned` when sent back to the filer for correction (resubmitted corrected, it is
`filed` again and goes through every check anew). The timeline keeps every step, who took it
and why, across resubmissions.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from union_events.errors import NotFound
from union_events.published import vocabularies

from .events import (
    Actor,
    ClaimApproved,
    ClaimAssessed,
    ClaimEvent,
    ClaimFiled,
    ClaimPaid,
    ClaimRejected,
    ClaimReturned,
    EligibilityAwaited,
    Invoice,
)

STATUSES = ("none", *vocabularies.CLAIM_STATUSES)  # "none": no claim in the stream yet


@dataclass(frozen=True)
class Step:
    """One line of a claim's timeline: what happened, on which day, whose token did it (None:
    the service's own rules), and the code and reason of a rejection or return."""

    what: str  # filed | resubmitted | awaiting_eligibility | assessed | approved | paid | ...
    on: date
    by: Actor | None = None
    code: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Claim:
    status: str = "none"
    claim_id: str | None = None
    member_id: str | None = None
    service_point: str | None = None  # where it was filed
    plan_id: str | None = None
    year: int | None = None
    admitted_on: date | None = None
    discharged_on: date | None = None
    invoices: tuple[Invoice, ...] = ()
    claimed: Decimal | None = None
    filed_on: date | None = None  # the first filing's day
    major_disease: str | None = None
    documents: tuple[str, ...] = ()
    resubmitted_on: date | None = None
    filed_by: Actor | None = None
    awaiting_since: date | None = None
    benefit: Decimal | None = None
    out_of_pocket: Decimal | None = None
    deductible: Decimal | None = None
    capped_by: str | None = None
    insuring_district: str | None = None
    needs_approval: bool = False
    assessed_on: date | None = None
    assessment: ClaimAssessed | None = None  # the working: tiers, lump sum, caps applied
    approved_by: str | None = None  # the officer named, or "auto"
    approved_automatically: bool = False
    approved_by_actor: Actor | None = None
    approved_on: date | None = None
    paid_at: str | None = None  # the service point that paid
    paying_district: str | None = None
    paid_amount: Decimal | None = None
    paid_on: date | None = None
    paid_by: Actor | None = None
    rejection_code: str | None = None
    rejection_reason: str | None = None
    rejected_by: Actor | None = None
    returned_code: str | None = None
    returned_reason: str | None = None
    returned_by: Actor | None = None
    closed_on: date | None = None  # rejected or returned
    timeline: tuple[Step, ...] = ()


def evolve_claim(state: Claim, event: ClaimEvent) -> Claim:
    return replace(_evolve(state, event), timeline=(*state.timeline, _step(state, event)))


def _step(state: Claim, event: ClaimEvent) -> Step:
    match event:
        case ClaimFiled():
            resubmitted = state.status == "returned" or event.resubmitted_on is not None
            on = event.resubmitted_on or event.filed_on
            return Step("resubmitted" if resubmitted else "filed", on, event.actor)
        case EligibilityAwaited():
            return Step("awaiting_eligibility", event.since)
        case ClaimAssessed():
            return Step("assessed", event.on)
        case ClaimApproved():
            return Step("approved", event.on, event.actor)
        case ClaimPaid():
            return Step("paid", event.on, event.actor)
        case ClaimRejected():
            return Step("rejected", event.on, event.actor, event.code, event.reason)
        case ClaimReturned():
            return Step("returned", event.on, event.actor, event.code, event.reason)
    return Step("unknown", date.min)  # pragma: no cover - every event is matched above


def _evolve(state: Claim, event: ClaimEvent) -> Claim:
    match event:
        case ClaimFiled():
            # A new filing (or a corrected one after a return) starts from a clean slate.
            return Claim(
                status="filed",
                claim_id=event.claim_id,
                member_id=event.member_id,
                service_point=event.service_point,
                plan_id=event.plan_id,
                year=event.year,
                admitted_on=event.admitted_on,
                discharged_on=event.discharged_on,
                invoices=event.invoices,
                claimed=event.claimed,
                filed_on=event.filed_on,
                major_disease=event.major_disease,
                documents=event.documents,
                resubmitted_on=event.resubmitted_on,
                filed_by=event.actor,
            )
        case EligibilityAwaited():
            return replace(state, status="awaiting_eligibility", awaiting_since=event.since)
        case ClaimAssessed():
            return replace(
                state,
                status="assessed",
                benefit=event.benefit,
                out_of_pocket=event.out_of_pocket,
                deductible=event.deductible,
                capped_by=event.capped_by,
                insuring_district=event.insuring_district,
                needs_approval=event.needs_approval,
                assessed_on=event.on,
                assessment=event,
            )
        case ClaimApproved():
            return replace(
                state,
                status="approved",
                approved_by=event.by,
                approved_automatically=event.automatic,
                approved_by_actor=event.actor,
                approved_on=event.on,
            )
        case ClaimPaid():
            return replace(
                state,
                status="paid",
                paid_at=event.service_point,
                paying_district=event.paying_district,
                paid_amount=event.amount,
                paid_on=event.on,
                paid_by=event.actor,
            )
        case ClaimRejected():
            return replace(
                state,
                status="rejected",
                rejection_code=event.code,
                rejection_reason=event.reason,
                rejected_by=event.actor,
                closed_on=event.on,
            )
        case ClaimReturned():
            return replace(
                state,
                status="returned",
                returned_code=event.code,
                returned_reason=event.reason,
                returned_by=event.actor,
                closed_on=event.on,
            )
    return state


def require_claim(state: Claim) -> None:
    """Any command but filing needs a claim that was filed."""
    if state.status == "none":
        raise NotFound("no such claim", code="claim_not_found")
