"""Eligibility and assessment: the benefit from the plan rules and the member's usage this year.

A member the service does not know yet is not refused: the claim waits for the enrolment.
A benefit under the plan's threshold is approved in the same decision. A benefit of zero is
never approved (nor paid): the claim is rejected `over_cap` when the annual (or per-claim) cap
left nothing, `below_deductible` when the deductible took it all.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from union_events.errors import Conflict, DomainError
from union_events.money import ZERO, yuan

from .benefit import Benefit, compute_benefit
from .events import (
    Actor,
    ClaimApproved,
    ClaimAssessed,
    ClaimEvent,
    ClaimRejected,
    EligibilityAwaited,
    TierPaid,
)
from .pooling import district_of
from .rules import PlanRules
from .state import Claim, require_claim

AUTO = "auto"  # who approved a claim under the threshold


def decide_eligibility(
    state: Claim,
    *,
    enrolled: bool | None,
    insuring_district: str | None,
    rules: PlanRules | None,
    used_this_year: Decimal,
    today: date,
) -> list[ClaimEvent]:
    require_claim(state)
    if state.status not in ("filed", "awaiting_eligibility"):
        raise Conflict(
            f"the claim is {state.status}, not waiting for eligibility",
            code="not_awaiting_eligibility",
            status=state.status,
        )
    if enrolled is None and rules is not None and rules.enrolment_closed(today):
        enrolled = False  # the enrolment window closed and no enrolment was heard
    if enrolled is None:  # the member's enrolment has not reached this service yet
        return [] if state.status == "awaiting_eligibility" else [EligibilityAwaited(since=today)]
    if not enrolled:
        reason = f"the member is not enrolled in {state.plan_id} for {state.year}"
        return [ClaimRejected(code="not_enrolled", reason=reason, on=today)]
    if insuring_district is None:
        raise DomainError("an enrolment names its district", code="unknown_insuring_district")
    if rules is None or (rules.plan_id, rules.year) != (state.plan_id, state.year):
        raise DomainError(
            f"the plan {state.plan_id} has no rules for {state.year}", code="unknown_plan_year"
        )
    claimed = state.claimed if state.claimed is not None else ZERO
    result = compute_benefit(rules, claimed, used_this_year, state.major_disease)
    if result.benefit <= 0:
        return [_nothing_to_pay(rules, result, used_this_year, today)]
    needs_approval = result.benefit >= rules.auto_approve_below
    assessed = ClaimAssessed(
        benefit=result.benefit,
        claimed=result.claimed,
        out_of_pocket=result.out_of_pocket,
        deductible=result.deductible,
        capped_by=result.capped_by,
        insuring_district=district_of(insuring_district),
        needs_approval=needs_approval,
        on=today,
        member_id=state.member_id or "",
        plan_id=state.plan_id or "",
        year=state.year or 0,
        reimbursable=result.reimbursable,
        tiers=tuple(
            TierPaid(amount, str(tier.ratio), paid)
            for (amount, paid), tier in zip(result.by_tier, rules.tiers, strict=True)
        ),
        lump_sum=result.lump_sum,
        caps=result.caps,
        annual_cap=rules.annual_cap,
        used_before=yuan(used_this_year),
    )
    if needs_approval:
        return [assessed]
    return [assessed, ClaimApproved(by=AUTO, automatic=True, on=today)]


def _nothing_to_pay(rules: PlanRules, result: Benefit, used: Decimal, today: date) -> ClaimRejected:
    """A claim whose benefit comes to 0.00 is rejected with the reason, not paid 0.00."""
    year = f"{rules.plan_id} {rules.year}"
    if result.capped_by == "annual":
        reason = (
            f"the annual cap of {rules.annual_cap} for {year} is used up: "
            f"{yuan(used)} used by the member's earlier claims"
        )
        return ClaimRejected(code="over_cap", reason=reason, on=today)
    if result.capped_by == "per_claim":
        reason = f"the per-claim cap of {rules.per_claim_cap} for {year} leaves nothing to pay"
        return ClaimRejected(code="over_cap", reason=reason, on=today)
    reason = (
        f"the claim of {result.claimed} is within the deductible (起付线) of {rules.deductible}: "
        "nothing is reimbursed"
        if result.reimbursable <= 0
        else f"the benefit of the claim of {result.claimed} comes to 0.00"
    )
    return ClaimRejected(code="below_deductible", reason=reason, on=today)


def decide_approve(
    state: Claim, *, officer: str, today: date, actor: Actor | None = None
) -> list[ClaimApproved]:
    """A district officer approves a benefit at or above the automatic threshold."""
    require_claim(state)
    if state.status != "assessed" or not state.needs_approval:
        raise Conflict(
            f"the claim is {state.status}, not awaiting an officer's approval",
            code="not_awaiting_approval",
            status=state.status,
        )
    if not officer.strip() or officer.strip() == AUTO:
        raise DomainError("an approval names the officer", code="officer_required")
    return [ClaimApproved(by=officer.strip(), automatic=False, on=today, actor=actor)]
