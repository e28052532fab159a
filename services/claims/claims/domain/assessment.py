"""Eligibility and assessment: the benefit from the plan rules and the member's usage this year.

A member the service does not know yet is not refused: the claim waits for the enrolment.
A benefit under the plan's threshold (or of zero) is approved in the same decision.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from union_events.errors import Conflict, DomainError
from union_events.money import ZERO

from .benefit import compute_benefit
from .events import ClaimApproved, ClaimAssessed, ClaimEvent, ClaimRejected, EligibilityAwaited
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
    needs_approval = result.benefit > 0 and result.benefit >= rules.auto_approve_below
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
    )
    if needs_approval:
        return [assessed]
    return [assessed, ClaimApproved(by=AUTO, automatic=True, on=today)]


def decide_approve(state: Claim, *, officer: str, today: date) -> list[ClaimApproved]:
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
    return [ClaimApproved(by=officer.strip(), automatic=False, on=today)]
