"""What happens to a claim: the domain events of the claims service (stream `claim-<id>`).

Private to the service (they are its log); what other services see is mapped at the edge.
No personal data: a claim names its member by id only. Money is Decimal yuan, two places.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Invoice:
    """发票: one hospital invoice; (hospital, number) is claimed at most once city-wide."""

    hospital: str
    number: str
    amount: Decimal
    issued_on: date


@dataclass(frozen=True)
class ClaimFiled:
    claim_id: str
    member_id: str
    service_point: str  # org path of the service point where it was filed
    plan_id: str
    year: int  # plan year: the year of discharge
    admitted_on: date
    discharged_on: date
    invoices: tuple[Invoice, ...]
    claimed: Decimal  # the invoices' total
    filed_on: date
    major_disease: str | None


@dataclass(frozen=True)
class EligibilityAwaited:
    """The member's enrolment is not known here yet: the claim waits for it."""

    since: date


@dataclass(frozen=True)
class ClaimAssessed:
    benefit: Decimal
    claimed: Decimal
    out_of_pocket: Decimal  # claimed − benefit: what the member bears
    deductible: Decimal  # 起付线 the claim bore
    capped_by: str | None  # claimed | per_claim | annual | None
    insuring_district: str  # the district the member was enrolled through that year
    needs_approval: bool  # False: approved automatically in the same decision
    on: date
    # Who and which plan year, so that subscribers need no other event to use this one.
    member_id: str = ""
    plan_id: str = ""
    year: int = 0


@dataclass(frozen=True)
class ClaimApproved:
    by: str  # the officer, or "auto"
    automatic: bool
    on: date


@dataclass(frozen=True)
class ClaimPaid:
    service_point: str
    paying_district: str  # the service point's district: it pays on behalf of...
    insuring_district: str  # ...the district the member is insured through (settlement)
    amount: Decimal
    on: date
    # Who, which plan year and what the member bears: what subscribers (relief) need.
    member_id: str = ""
    plan_id: str = ""
    year: int = 0
    claimed: Decimal = Decimal("0.00")
    out_of_pocket: Decimal = Decimal("0.00")


@dataclass(frozen=True)
class ClaimRejected:
    code: str  # not_enrolled | past_deadline | duplicate_invoice | over_cap | ...
    reason: str
    on: date


@dataclass(frozen=True)
class ClaimReturned:
    """退回: sent back to the filer for correction instead of rejected; it may be filed again."""

    reason: str
    on: date


ClaimEvent = (
    ClaimFiled
    | EligibilityAwaited
    | ClaimAssessed
    | ClaimApproved
    | ClaimPaid
    | ClaimRejected
    | ClaimReturned
)
