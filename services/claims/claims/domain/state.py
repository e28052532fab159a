"""A claim's state, folded from its events. `evolve_claim` only assigns: it never re-checks.

Statuses (the HTTP contract's): filed → awaiting_eligibility → assessed → approved → paid, or
rejected; `returned` when sent back to the filer for correction (it may be filed again).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from union_events.errors import NotFound

from .events import (
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

STATUSES = (
    "none",
    "filed",
    "awaiting_eligibility",
    "assessed",
    "approved",
    "paid",
    "rejected",
    "returned",
)


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
    filed_on: date | None = None
    major_disease: str | None = None
    awaiting_since: date | None = None
    benefit: Decimal | None = None
    out_of_pocket: Decimal | None = None
    deductible: Decimal | None = None
    capped_by: str | None = None
    insuring_district: str | None = None
    needs_approval: bool = False
    assessed_on: date | None = None
    approved_by: str | None = None
    approved_on: date | None = None
    paid_at: str | None = None  # the service point that paid
    paying_district: str | None = None
    paid_amount: Decimal | None = None
    paid_on: date | None = None
    rejection_code: str | None = None
    rejection_reason: str | None = None
    returned_reason: str | None = None
    closed_on: date | None = None  # rejected or returned


def evolve_claim(state: Claim, event: ClaimEvent) -> Claim:
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
            )
        case ClaimApproved():
            return replace(state, status="approved", approved_by=event.by, approved_on=event.on)
        case ClaimPaid():
            return replace(
                state,
                status="paid",
                paid_at=event.service_point,
                paying_district=event.paying_district,
                paid_amount=event.amount,
                paid_on=event.on,
            )
        case ClaimRejected():
            return replace(
                state,
                status="rejected",
                rejection_code=event.code,
                rejection_reason=event.reason,
                closed_on=event.on,
            )
        case ClaimReturned():
            return replace(
                state, status="returned", returned_reason=event.reason, closed_on=event.on
            )
    return state


def require_claim(state: Claim) -> None:
    """Any command but filing needs a claim that was filed."""
    if state.status == "none":
        raise NotFound("no such claim", code="claim_not_found")
