"""What the claims service publishes on `union.claims.claim.>`: member ids, org paths and
amounts (decimal strings in yuan), never personal data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..contracts import ContractRegistry, EventPayload
from .vocabularies import RejectionCode

registry = ContractRegistry()


@registry.register
class ClaimFiled(EventPayload):
    """A claim was filed at a service point."""

    event_name = "union.claims.claim.filed"
    claim_id: str
    member_id: str
    service_point: str
    plan_id: str
    year: int
    claimed: Decimal
    filed_on: date


@registry.register
class ClaimAssessed(EventPayload):
    """The benefit was computed from the plan year's rules and the member's usage."""

    event_name = "union.claims.claim.assessed"
    claim_id: str
    member_id: str
    plan_id: str
    year: int
    claimed: Decimal
    benefit: Decimal
    out_of_pocket: Decimal
    insuring_district: str
    needs_approval: bool
    on: date


@registry.register
class ClaimApproved(EventPayload):
    """Approved, automatically under the threshold or by a district officer."""

    event_name = "union.claims.claim.approved"
    claim_id: str
    automatic: bool
    on: date


@registry.register
class ClaimPaid(EventPayload):
    """Paid at a service point, on behalf of the insuring district."""

    event_name = "union.claims.claim.paid"
    claim_id: str
    member_id: str
    plan_id: str
    year: int
    service_point: str
    paying_district: str
    insuring_district: str
    claimed: Decimal
    benefit: Decimal
    out_of_pocket: Decimal
    on: date


@registry.register
class ClaimRejected(EventPayload):
    """Rejected with a coded reason (not_enrolled, past_deadline, duplicate_invoice, ...)."""

    event_name = "union.claims.claim.rejected"
    claim_id: str
    code: RejectionCode
    on: date


@registry.register
class PlanYearSet(EventPayload):
    """A plan year's rules were set (or set again): the plan year exists, so members may be
    enrolled in it. Only what other services need of the rules: the dates that bound it."""

    event_name = "union.claims.plan_year.set"
    plan_id: str
    year: int
    enrolment_closes_on: date | None = None  # after it, no enrolment is heard for the year
    claims_close_on: date | None = None  # the last day a claim of the year may be filed


PUBLISHED = (ClaimFiled, ClaimAssessed, ClaimApproved, ClaimPaid, ClaimRejected, PlanYearSet)
