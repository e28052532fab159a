"""What happens to a claim: the domain events of the claims service (stream `claim-<id>`).

Private to the service (they are its log); what other services see is mapped at the edge.
No personal data: a claim names its member by id only. Money is `Money`: Decimal yuan,
two places.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from union_events.money import Money


@dataclass(frozen=True)
class Actor:
    """Who did it: the token's subject (a staff account id, never personal data) and role."""

    subject: str
    role: str


# 材料: what the filer handed in beside the invoices (住院结算单, 出院记录, 分割单, 诊断证明).
DOCUMENTS = ("settlement_statement", "discharge_record", "split_certificate", "diagnosis")


@dataclass(frozen=True)
class Invoice:
    """发票: one hospital invoice; (hospital, number) is claimed at most once city-wide."""

    hospital: str
    number: str
    amount: Money
    issued_on: date


@dataclass(frozen=True)
class ClaimFiled:
    claim_id: str
    member_id: str
    service_point: str  # org path of the service point where it was filed
    plan_id: str
    year: int  # plan year: the year of admission (the stay began while insured)
    admitted_on: date
    discharged_on: date
    invoices: tuple[Invoice, ...]
    claimed: Money  # the invoices' total
    filed_on: date  # the first filing: a resubmission keeps it (the claim's number and date)
    major_disease: str | None
    documents: tuple[str, ...] = ()  # of DOCUMENTS
    resubmitted_on: date | None = None  # set when a returned claim is filed again, corrected
    actor: Actor | None = None


@dataclass(frozen=True)
class EligibilityAwaited:
    """The member's enrolment is not known here yet: the claim waits for it."""

    since: date


@dataclass(frozen=True)
class TierPaid:
    """What one reimbursement tier paid: the amount that fell in it × its ratio."""

    amount: Money
    ratio: str  # as the rules give it ("0.5", "0.333"): not rounded to two places
    paid: Money


@dataclass(frozen=True)
class CapApplied:
    """A cap that bit: `claimed` (never more than the invoices), `per_claim`, or `annual` (what
    was left of the annual cap), its limit, and how much it took off."""

    cap: str
    limit: Money
    reduced_by: Money


@dataclass(frozen=True)
class ClaimAssessed:
    benefit: Money
    claimed: Money
    out_of_pocket: Money  # claimed − benefit: what the member bears
    deductible: Money  # 起付线 the claim bore
    capped_by: str | None  # claimed | per_claim | annual | None
    insuring_district: str  # the district the member was enrolled through that year
    needs_approval: bool  # False: approved automatically in the same decision
    on: date
    # Who and which plan year, so that subscribers need no other event to use this one.
    member_id: str = ""
    plan_id: str = ""
    year: int = 0
    # The working, for a receipt and a review (absent from events assessed before it was kept).
    reimbursable: Money | None = None  # claimed − deductible
    tiers: tuple[TierPaid, ...] = ()
    lump_sum: Money | None = None  # a listed major disease's
    caps: tuple[CapApplied, ...] = ()
    annual_cap: Money | None = None
    used_before: Money | None = None  # of the annual cap, by the member's earlier claims


@dataclass(frozen=True)
class ClaimApproved:
    by: str  # the officer, or "auto"
    automatic: bool
    on: date
    actor: Actor | None = None  # whose token approved it (None: automatic)


@dataclass(frozen=True)
class ClaimPaid:
    service_point: str
    paying_district: str  # the service point's district: it pays on behalf of...
    insuring_district: str  # ...the district the member is insured through (settlement)
    amount: Money
    on: date
    # Who, which plan year and what the member bears: what subscribers (relief) need.
    member_id: str = ""
    plan_id: str = ""
    year: int = 0
    claimed: Money = Decimal("0.00")
    out_of_pocket: Money = Decimal("0.00")
    actor: Actor | None = None


@dataclass(frozen=True)
class ClaimRejected:
    code: str  # not_enrolled | past_deadline | duplicate_invoice | over_cap | ...
    reason: str
    on: date
    actor: Actor | None = None  # None: decided by the service's own rules


@dataclass(frozen=True)
class ClaimReturned:
    """退回: sent back to the filer for correction instead of rejected; it is resubmitted,
    corrected, under the same claim id. `code` says what to correct (a return reason of the
    published vocabularies), `reason` the officer's words; a return stored before returns
    had a code reads as `other`."""

    reason: str
    on: date
    actor: Actor | None = None
    code: str = "other"  # missing_documents | invoice_problem | dates_problem | other


ClaimEvent = (
    ClaimFiled
    | EligibilityAwaited
    | ClaimAssessed
    | ClaimApproved
    | ClaimPaid
    | ClaimRejected
    | ClaimReturned
)
