"""Domain events ↔ stored events: `union.claims.claim.<event>.v1` and JSON data.

Money travels as a string with two places ("3011.00"), dates as ISO strings, invoices as a list
of objects. A field added with a default stays `.v1`: an event stored without it takes the
default (a return stored before returns had a code reads as `other`). Any other change to an
event's fields is a new version (`.v2`) with an upcaster, never an edit of `.v1`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from union_events.event_codec import EventCodec, UnknownEvent, money_text

from .events import (
    ClaimApproved,
    ClaimAssessed,
    ClaimEvent,
    ClaimFiled,
    ClaimPaid,
    ClaimRejected,
    ClaimReturned,
    EligibilityAwaited,
)

EVENT_TYPES: dict[type[Any], str] = {
    ClaimFiled: "union.claims.claim.filed.v1",
    EligibilityAwaited: "union.claims.claim.eligibility_awaited.v1",
    ClaimAssessed: "union.claims.claim.assessed.v1",
    ClaimApproved: "union.claims.claim.approved.v1",
    ClaimPaid: "union.claims.claim.paid.v1",
    ClaimRejected: "union.claims.claim.rejected.v1",
    ClaimReturned: "union.claims.claim.returned.v1",
}
_CODEC = EventCodec("claims", EVENT_TYPES)
EVENT_CLASSES = _CODEC.event_classes

__all__ = ["EVENT_CLASSES", "EVENT_TYPES", "UnknownEvent", "decode", "encode", "money_text"]


def encode(event: object) -> tuple[str, dict[str, Any]]:
    return _CODEC.encode(event)


def decode(event_type: str, data: Mapping[str, Any]) -> ClaimEvent:
    event: ClaimEvent = _CODEC.decode(event_type, data)
    return event
