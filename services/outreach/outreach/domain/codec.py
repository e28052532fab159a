"""Domain events ↔ stored events: `union.outreach.<aggregate>.<event>.v1` and JSON data.

A change to an event's fields is a new version (`.v2`) with an upcaster, never an edit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from union_events.event_codec import EventCodec

from .events import (
    AnonymousCheckedIn,
    CampaignOpened,
    CardCheckedIn,
    IntakeAccepted,
    IntakeClosed,
    IntakeRecorded,
    ItemHandedOut,
    KnownMemberCheckedIn,
    MemberCheckedIn,
    MemberMoved,
    MemberNoted,
    MemberServed,
    MemberStatusNoted,
    PointClosed,
    PointOpened,
    PointRegistered,
    SessionCancelled,
    SessionHeld,
    SessionScheduled,
)

EVENT_TYPES: dict[type[Any], str] = {
    PointRegistered: "union.outreach.point.registered.v1",
    PointOpened: "union.outreach.point.opened.v1",
    PointClosed: "union.outreach.point.closed.v1",
    SessionScheduled: "union.outreach.session.scheduled.v1",
    SessionHeld: "union.outreach.session.held.v1",
    SessionCancelled: "union.outreach.session.cancelled.v1",
    MemberCheckedIn: "union.outreach.session.member_checked_in.v1",
    KnownMemberCheckedIn: "union.outreach.session.known_member_checked_in.v1",
    CardCheckedIn: "union.outreach.session.card_checked_in.v1",
    AnonymousCheckedIn: "union.outreach.session.anonymous_checked_in.v1",
    IntakeRecorded: "union.outreach.intake.recorded.v1",
    IntakeAccepted: "union.outreach.intake.accepted.v1",
    IntakeClosed: "union.outreach.intake.closed.v1",
    CampaignOpened: "union.outreach.campaign.opened.v1",
    ItemHandedOut: "union.outreach.campaign.item_handed_out.v1",
    MemberServed: "union.outreach.campaign.member_served.v1",
    MemberNoted: "union.outreach.member.noted.v1",
    MemberMoved: "union.outreach.member.moved.v1",
    MemberStatusNoted: "union.outreach.member.status_noted.v1",
}
_CODEC = EventCodec("outreach", EVENT_TYPES)


def encode(event: object) -> tuple[str, dict[str, Any]]:
    return _CODEC.encode(event)


def decode(event_type: str, data: Mapping[str, Any]) -> Any:
    return _CODEC.decode(event_type, data)
