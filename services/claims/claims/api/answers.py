"""The claims API's answers: each route's body, field by field (money "3011.00", days ISO)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from union_events.answers import Answer, Instant, IsoDate, MoneyText, Page
from union_events.published.vocabularies import (
    ClaimStatus,
    OrgLevel,
    RejectionCode,
    ReturnReason,
    Role,
)

Cap = Literal["claimed", "per_claim", "annual"]
# A line of a claim's timeline: a status it reached, or `resubmitted` (corrected after a return).
Step = Literal[ClaimStatus, "resubmitted"]


class PoolingOut(Answer):
    level: Literal["district", "city"]
    effective_from: IsoDate


class TierOut(Answer):
    up_to: MoneyText | None = Field(description="the tier's upper bound; null: no bound")
    ratio: str = Field(examples=["0.80"], description="the share paid, a decimal from 0 to 1")


class DiseaseOut(Answer):
    code: str
    lump_sum: MoneyText


class RulesOut(Answer):
    """A plan year's rules, as set."""

    plan_id: str
    year: int
    pooling: list[PoolingOut]
    deductible: MoneyText
    tiers: list[TierOut]
    per_claim_cap: MoneyText
    annual_cap: MoneyText
    deadline_days: int
    auto_approve_below: MoneyText
    major_diseases: list[DiseaseOut]
    enrolment_closes_on: IsoDate | None
    claims_close_on: IsoDate | None
    required_documents: list[str]


class SweepOut(Answer):
    """What the sweep of the claims waiting for an enrolment did."""

    rejected: int = Field(description="claims rejected not_enrolled")
    assessed: int = Field(description="claims whose enrolment was heard meanwhile, assessed")


class Accepted(Answer):
    """A claim filed or resubmitted: its id and where the checks left it."""

    claim_id: str
    status: ClaimStatus


class ActorOut(Answer):
    """Whose token did it."""

    subject: str
    role: Role


class InvoiceOut(Answer):
    hospital: str
    number: str
    amount: MoneyText
    issued_on: IsoDate


class TierPaidOut(Answer):
    amount: MoneyText = Field(description="the part of the reimbursable amount in the tier")
    ratio: str = Field(examples=["0.5"], description="as the rules give it, not rounded")
    paid: MoneyText


class CapOut(Answer):
    cap: Cap
    limit: MoneyText
    reduced_by: MoneyText


class Breakdown(Answer):
    """The benefit's working: 起付线, tier by tier, lump sum, then each cap that bit."""

    claimed: MoneyText
    deductible: MoneyText
    reimbursable: MoneyText | None
    tiers: list[TierPaidOut]
    lump_sum: MoneyText | None
    caps_applied: list[CapOut]
    capped_by: Cap | None
    annual_cap: MoneyText | None
    used_before: MoneyText | None
    benefit: MoneyText
    out_of_pocket: MoneyText


class StepOut(Answer):
    """One step of the claim's timeline."""

    what: Step
    on: IsoDate
    at: Instant | None = Field(description="the instant it was recorded (UTC), when known")
    by: ActorOut | None = Field(description="null: the service's own rules")
    code: RejectionCode | ReturnReason | None = Field(
        description="a rejection's code or a return's reason; null on the other steps"
    )
    reason: str | None


class ClaimOut(Answer):
    """A claim, all a receipt and a review need."""

    claim_id: str
    status: ClaimStatus
    member_id: str
    service_point: str
    plan_id: str
    year: int
    admitted_on: IsoDate
    discharged_on: IsoDate
    filed_on: IsoDate
    resubmitted_on: IsoDate | None
    major_disease: str | None
    documents: list[str]
    claimed: MoneyText
    benefit: MoneyText | None
    out_of_pocket: MoneyText | None
    needs_approval: bool
    assessed_on: IsoDate | None
    approved_on: IsoDate | None
    approved_automatically: bool
    insuring_district: str | None
    paid_at: str | None = Field(description="the service point that paid")
    paying_district: str | None
    paid_amount: MoneyText | None
    paid_on: IsoDate | None
    rejection_code: RejectionCode | None
    rejection_reason: str | None
    returned_code: ReturnReason | None = Field(description="why it was returned, as a code")
    returned_reason: str | None = Field(description="the officer's note on what to correct")
    invoices: list[InvoiceOut]
    benefit_breakdown: Breakdown | None
    approving_officer: str | None = Field(description="the officer named, or 'auto'")
    filed_by: ActorOut | None
    approved_by: ActorOut | None
    paid_by: ActorOut | None
    rejected_by: ActorOut | None
    rejected_on: IsoDate | None
    returned_by: ActorOut | None
    returned_on: IsoDate | None
    timeline: list[StepOut]


class ClaimPage(Page):
    claims: list[ClaimOut]


class PayableClaims(Answer):
    total: int
    claims: list[ClaimOut]


class UsageOut(Answer):
    """What a member has used of a plan year's annual cap, and what remains of it."""

    member_id: str
    plan_id: str
    year: int
    annual_cap: MoneyText
    used: MoneyText = Field(description="what the member's claims hold of the cap now")
    remaining: MoneyText = Field(description="the annual cap less what is used, never below 0")


class Flow(Answer):
    paying_district: str
    insuring_district: str
    claims: int
    amount: MoneyText


class Balance(Answer):
    district: str
    net: MoneyText = Field(description="above zero: the district is owed; below: it owes")


class SettlementOut(Answer):
    scope: str
    start: IsoDate = Field(alias="from")
    end: IsoDate = Field(alias="to")
    flows: list[Flow]
    balances: list[Balance]


class DistrictFigures(Answer):
    district: str
    filed: int = Field(description="claims filed at its service points (person-times)")
    paid: int = Field(description="claims its service points paid")
    paid_amount: MoneyText
    insured_paid: int = Field(description="claims of members insured through it, paid")
    insured_amount: MoneyText


class RejectionFigures(Answer):
    district: str = Field(description="the filing district")
    code: RejectionCode = Field(description="the reason code")
    claims: int = Field(description="claims rejected in the period with that reason")


class HospitalOut(Answer):
    code: str
    name: str
    city: str
    district: str | None


class HospitalPage(Page):
    hospitals: list[HospitalOut]


class OrgOut(Answer):
    path: str
    name: str
    level: OrgLevel
