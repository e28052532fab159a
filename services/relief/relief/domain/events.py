"""What happens in relief: the domain events of its aggregates (private: its log).

Household personal data (names, relations, notes) is only ever in the log sealed under the
member's key (`*_sealed`, opaque to the domain); erasing the member destroys the key.
Money is `Money`: Decimal yuan with two places; a factor is a Decimal as given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from union_events.money import Money
from union_events.published.vocabularies import CardWithdrawalReason

# ---- hardship file (stream `file-<file_id>`), with its card


@dataclass(frozen=True)
class FileOpened:
    file_id: str
    member_id: str
    district: str
    category: str  # deep | relative | accident_or_illness
    household_size: int
    monthly_income: Money  # the household's, per month
    household_sealed: str  # household members and notes, sealed (opaque here)
    opened_by: str  # org path of the unit or district that opened it
    opened_on: date
    review_due: date


@dataclass(frozen=True)
class FileReviewed:
    category: str
    household_size: int
    monthly_income: Money
    household_sealed: str
    on: date
    review_due: date


@dataclass(frozen=True)
class CardIssued:
    card_id: str
    per_head: Money
    standard: Money
    factor: Decimal  # a ratio (1.3): stored with the scale it has, not as money
    on: date


@dataclass(frozen=True)
class CardWithdrawn:
    card_id: str
    reason: CardWithdrawalReason
    on: date


@dataclass(frozen=True)
class VisitRecorded:
    """A quarterly follow-up call or visit for an active card."""

    on: date
    by: str


@dataclass(frozen=True)
class FileMoved:
    """The member transferred to another district: the file follows."""

    from_district: str
    to_district: str
    on: date


@dataclass(frozen=True)
class HouseholdErased:
    """The member was erased: the key is gone, the sealed household can never be read."""

    on: date


@dataclass(frozen=True)
class FileClosed:
    reason: str
    on: date


FileEvent = (
    FileOpened
    | FileReviewed
    | CardIssued
    | CardWithdrawn
    | VisitRecorded
    | FileMoved
    | HouseholdErased
    | FileClosed
)

# ---- relief application / grant (stream `application-<id>`)


@dataclass(frozen=True)
class ApplicationDrafted:
    application_id: str
    member_id: str | None
    district: str
    kind: str
    intake_id: str | None
    source: str  # clerk | intake | claims
    on: date


@dataclass(frozen=True)
class RecipientSet:
    """The member a draft is for (a hardship intake may come without one)."""

    member_id: str
    on: date


@dataclass(frozen=True)
class ApplicationSubmitted:
    amount: Money
    on: date


@dataclass(frozen=True)
class ApplicationApproved:
    amount: Money
    by: str
    on: date


@dataclass(frozen=True)
class ApplicationRejected:
    reason: str
    on: date


@dataclass(frozen=True)
class GrantDisbursed:
    amount: Money
    year: int  # the budget year charged
    on: date


@dataclass(frozen=True)
class ReceiptRecorded:
    """回执: the member confirmed receiving the help."""

    on: date


ApplicationEvent = (
    ApplicationDrafted
    | RecipientSet
    | ApplicationSubmitted
    | ApplicationApproved
    | ApplicationRejected
    | GrantDisbursed
    | ReceiptRecorded
)

# ---- what relief knows of a member (stream `member-<member_id>`)


@dataclass(frozen=True)
class MemberNoted:
    """A fact heard from members: the member is active (registered, rejoined), left, or
    erased; `district` as last heard (None when the event did not say)."""

    member_id: str
    status: str  # active | left | erased
    district: str | None
    on: date


@dataclass(frozen=True)
class FileNoted:
    """The member has this hardship file (written with the file, atomically)."""

    file_id: str


MemberEvent = MemberNoted | FileNoted

# ---- budget (stream `budget-<district>-<year>-<kind>`)


@dataclass(frozen=True)
class BudgetSet:
    district: str
    year: int
    kind: str
    amount: Money


@dataclass(frozen=True)
class FundsCommitted:
    application_id: str
    amount: Money


BudgetEvent = BudgetSet | FundsCommitted

# ---- monthly subsidy (stream `subsidy-<member_id>-<yyyy-mm>`, at version 0: once per member
# and month; months paid before that guard are in `subsidy-<card_id>-<yyyy-mm>`)


@dataclass(frozen=True)
class SubsidyPaid:
    card_id: str
    file_id: str
    member_id: str
    district: str
    month: str  # yyyy-mm
    amount: Money
    on: date


# ---- out-of-pocket medical costs (stream `illness-<member_id>-<year>`)


@dataclass(frozen=True)
class OutOfPocketNoted:
    claim_id: str
    amount: Money
    district: str


@dataclass(frozen=True)
class MajorIllnessFlagged:
    """The year's out-of-pocket total passed the threshold: a case is opened, once."""

    application_id: str
    total: Money
    threshold: Money


IllnessEvent = OutOfPocketNoted | MajorIllnessFlagged
