"""What the relief service publishes on `union.relief.>`: ids, org paths, kinds and amounts,
never household or personal data. The relief service may add payloads here;
`ApplicationDrafted` is read by outreach (an intake's status) and only changes by a new version."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..contracts import ContractRegistry, EventPayload
from .vocabularies import CardWithdrawalReason, GrantKind

registry = ContractRegistry()


@registry.register
class ApplicationDrafted(EventPayload):
    """A draft relief application was opened, e.g. from a hardship intake taken by outreach."""

    event_name = "union.relief.application.drafted"
    application_id: str
    intake_id: str | None  # the outreach intake it came from, if any
    member_id: str | None
    district: str
    kind: GrantKind
    on: date


@registry.register
class ApplicationRecipientSet(EventPayload):
    """The member a draft application is for was set (a hardship intake may name nobody)."""

    event_name = "union.relief.application.recipient_set"
    application_id: str
    member_id: str
    on: date


@registry.register
class ApplicationSubmitted(EventPayload):
    """A relief application was submitted with the amount asked for."""

    event_name = "union.relief.application.submitted"
    application_id: str
    amount: Decimal
    on: date


@registry.register
class GrantApproved(EventPayload):
    """A relief grant was approved (the amount may differ from the one asked for)."""

    event_name = "union.relief.grant.approved"
    application_id: str
    amount: Decimal
    on: date


@registry.register
class GrantRejected(EventPayload):
    """A relief application was rejected (the reason stays inside relief)."""

    event_name = "union.relief.grant.rejected"
    application_id: str
    on: date


@registry.register
class GrantDisbursed(EventPayload):
    """A grant was paid out, charged to the district's budget of that year and kind."""

    event_name = "union.relief.grant.disbursed"
    application_id: str
    amount: Decimal
    year: int
    on: date


@registry.register
class HardshipCardIssued(EventPayload):
    """A hardship card (爱心帮扶证) was issued to the member of a hardship file."""

    event_name = "union.relief.card.issued"
    card_id: str
    file_id: str
    on: date


@registry.register
class HardshipCardWithdrawn(EventPayload):
    """A hardship card was withdrawn: the household no longer qualifies (`not_eligible`) or
    its hardship file was closed (`file_closed`)."""

    event_name = "union.relief.card.withdrawn"
    card_id: str
    file_id: str
    reason: CardWithdrawalReason
    on: date


@registry.register
class SubsidyPaid(EventPayload):
    """A card's monthly living subsidy was paid for a month (once per member and month,
    whatever cards the member holds)."""

    event_name = "union.relief.subsidy.paid"
    card_id: str
    member_id: str
    district: str
    month: str  # yyyy-mm
    amount: Decimal
    on: date


@registry.register
class MajorIllnessCaseOpened(EventPayload):
    """A member's out-of-pocket medical cost for a year passed the threshold: a major-illness
    application (`application_id`, also announced by ApplicationDrafted) is opened for review."""

    event_name = "union.relief.major_illness.case_opened"
    application_id: str
    member_id: str
    year: int
    total: Decimal
    threshold: Decimal


PUBLISHED: tuple[type[EventPayload], ...] = (
    ApplicationDrafted,
    ApplicationRecipientSet,
    ApplicationSubmitted,
    GrantApproved,
    GrantRejected,
    GrantDisbursed,
    HardshipCardIssued,
    HardshipCardWithdrawn,
    SubsidyPaid,
    MajorIllnessCaseOpened,
)
