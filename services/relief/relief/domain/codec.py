"""Domain events ↔ stored events: `union.relief.<aggregate>.<event>.v1` and JSON data.

A change to an event's fields is a new version with an upcaster, never an edit of `.v1`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from union_events.event_codec import EventCodec, UnknownEvent

from . import events as e
from .standards import StandardSet

EVENT_TYPES: dict[type[Any], str] = {
    StandardSet: "union.relief.standard.set.v1",
    e.FileOpened: "union.relief.file.opened.v1",
    e.FileReviewed: "union.relief.file.reviewed.v1",
    e.CardIssued: "union.relief.file.card_issued.v1",
    e.CardWithdrawn: "union.relief.file.card_withdrawn.v1",
    e.VisitRecorded: "union.relief.file.visit_recorded.v1",
    e.FileMoved: "union.relief.file.moved.v1",
    e.HouseholdErased: "union.relief.file.household_erased.v1",
    e.FileClosed: "union.relief.file.closed.v1",
    e.ApplicationDrafted: "union.relief.application.drafted.v1",
    e.RecipientSet: "union.relief.application.recipient_set.v1",
    e.ApplicationSubmitted: "union.relief.application.submitted.v1",
    e.ApplicationApproved: "union.relief.application.approved.v1",
    e.ApplicationRejected: "union.relief.application.rejected.v1",
    e.GrantDisbursed: "union.relief.application.disbursed.v1",
    e.ReceiptRecorded: "union.relief.application.receipt_recorded.v1",
    e.MemberNoted: "union.relief.member.noted.v1",
    e.FileNoted: "union.relief.member.file_noted.v1",
    e.BudgetSet: "union.relief.budget.set.v1",
    e.FundsCommitted: "union.relief.budget.committed.v1",
    e.SubsidyPaid: "union.relief.subsidy.paid.v1",
    e.OutOfPocketNoted: "union.relief.illness.cost_noted.v1",
    e.MajorIllnessFlagged: "union.relief.illness.flagged.v1",
}
_CODEC = EventCodec("relief", EVENT_TYPES)
EVENT_CLASSES = _CODEC.event_classes

__all__ = ["EVENT_CLASSES", "EVENT_TYPES", "UnknownEvent", "decode", "encode"]


def encode(event: object) -> tuple[str, dict[str, Any]]:
    return _CODEC.encode(event)


def decode(event_type: str, data: Mapping[str, Any]) -> Any:
    return _CODEC.decode(event_type, data)
