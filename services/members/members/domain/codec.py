"""Domain events ↔ stored events: `union.members.<aggregate>.<event>.v1` and JSON data.

Dates travel as ISO strings and tuples as lists. A change to an event's fields is a new
version (`.v2`) with an upcaster, never an edit of `.v1`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from union_events.event_codec import EventCodec, UnknownEvent

from .events import (
    CampaignOpened,
    CardIssued,
    IdentityClaimed,
    IdentityReleased,
    MemberEnrolled,
    MemberLeft,
    MemberRegistered,
    MemberRejoined,
    MemberTransferred,
    OrgRegistered,
    PersonalDataErased,
    SignUpsRecorded,
)

DomainEvent = (
    OrgRegistered
    | IdentityClaimed
    | IdentityReleased
    | CardIssued
    | MemberRegistered
    | MemberTransferred
    | MemberLeft
    | MemberRejoined
    | MemberEnrolled
    | PersonalDataErased
    | CampaignOpened
    | SignUpsRecorded
)

EVENT_TYPES: dict[type[Any], str] = {
    OrgRegistered: "union.members.org.registered.v1",
    IdentityClaimed: "union.members.identity.claimed.v1",
    IdentityReleased: "union.members.identity.released.v1",
    CardIssued: "union.members.card.issued.v1",
    MemberRegistered: "union.members.member.registered.v1",
    MemberTransferred: "union.members.member.transferred.v1",
    MemberLeft: "union.members.member.left.v1",
    MemberRejoined: "union.members.member.rejoined.v1",
    MemberEnrolled: "union.members.member.enrolled.v1",
    PersonalDataErased: "union.members.member.personal_data_erased.v1",
    CampaignOpened: "union.members.campaign.opened.v1",
    SignUpsRecorded: "union.members.campaign.signups_recorded.v1",
}
_CODEC = EventCodec("members", EVENT_TYPES)
EVENT_CLASSES = _CODEC.event_classes

__all__ = ["EVENT_CLASSES", "EVENT_TYPES", "UnknownEvent", "decode", "encode"]


def encode(event: object) -> tuple[str, dict[str, Any]]:
    return _CODEC.encode(event)


def decode(event_type: str, data: Mapping[str, Any]) -> DomainEvent:
    event: DomainEvent = _CODEC.decode(event_type, data)
    return event
