"""Paying a claim at a service point (at most once, where pooling allows), or closing it.

The payment records both districts: the paying one (of the service point) pays on behalf of the
insuring one, and the settlement between districts is summed from these.
"""

from __future__ import annotations

from datetime import date

from union_events.errors import Conflict, DomainError, Forbidden
from union_events.money import ZERO
from union_events.published import vocabularies

from .events import Actor, ClaimPaid, ClaimRejected, ClaimReturned
from .pooling import district_of, may_pay
from .rules import PlanRules, pooling_level_on
from .state import Claim, require_claim

REJECTION_CODES = vocabularies.REJECTION_CODES
RETURN_REASONS = vocabularies.RETURN_REASONS


def decide_pay(
    state: Claim,
    *,
    service_point: str,
    rules: PlanRules | None,
    today: date,
    actor: Actor | None = None,
) -> list[ClaimPaid]:
    require_claim(state)
    if state.status == "paid":
        raise Conflict(
            f"the claim was paid at {state.paid_at} on {state.paid_on}",
            code="already_paid",
            paid_at=state.paid_at,
        )
    if state.status != "approved" or state.insuring_district is None:
        raise Conflict(f"the claim is {state.status}, not approved", code="not_approved")
    if state.benefit is None or state.benefit <= 0:  # approved before such claims were rejected
        raise Conflict(
            "the claim's benefit is 0.00: there is nothing to pay (reject it, e.g. over_cap)",
            code="nothing_to_pay",
        )
    if rules is None or (rules.plan_id, rules.year) != (state.plan_id, state.year):
        raise DomainError(
            f"the plan {state.plan_id} has no rules for {state.year}", code="unknown_plan_year"
        )
    paying_district = district_of(service_point)
    if not may_pay(rules, today, service_point, state.insuring_district):
        level = pooling_level_on(rules, today)
        raise Forbidden(
            f"under {level} pooling a service point of {paying_district} cannot pay a claim "
            f"insured in {state.insuring_district}",
            code="pooling_forbids",
            pooling=level,
            insuring_district=state.insuring_district,
        )
    return [
        ClaimPaid(
            service_point=service_point.strip().strip("/"),
            paying_district=paying_district,
            insuring_district=state.insuring_district,
            amount=state.benefit,
            on=today,
            member_id=state.member_id or "",
            plan_id=state.plan_id or "",
            year=state.year or 0,
            claimed=state.claimed if state.claimed is not None else ZERO,
            out_of_pocket=state.out_of_pocket if state.out_of_pocket is not None else ZERO,
            actor=actor,
        )
    ]


def decide_reject(
    state: Claim, *, code: str, reason: str, today: date, actor: Actor | None = None
) -> list[ClaimRejected]:
    _still_open(state)
    if code not in REJECTION_CODES:
        raise DomainError(
            f"a rejection code is one of {', '.join(REJECTION_CODES)}",
            code="unknown_rejection_code",
        )
    return [ClaimRejected(code=code, reason=_reason(reason), on=today, actor=actor)]


def decide_return(
    state: Claim,
    *,
    reason: str,
    today: date,
    code: str = "other",
    actor: Actor | None = None,
) -> list[ClaimReturned]:
    """退回: back to the filer for correction, with the return reason's code and the officer's
    words; its resubmission is checked from the start."""
    _still_open(state)
    if state.status == "returned":
        raise Conflict("the claim was returned already", code="already_returned")
    if code not in RETURN_REASONS:
        raise DomainError(
            f"a return reason is one of {', '.join(RETURN_REASONS)}",
            code="unknown_return_reason",
        )
    return [ClaimReturned(reason=_reason(reason), on=today, actor=actor, code=code)]


def _still_open(state: Claim) -> None:
    require_claim(state)
    if state.status == "paid":
        raise Conflict("the claim is paid", code="already_paid", paid_at=state.paid_at)
    if state.status == "rejected":
        raise Conflict("the claim is rejected", code="already_rejected")


def _reason(reason: str) -> str:
    if not reason.strip():
        raise DomainError("say why", code="reason_required")
    return reason.strip()
