"""Domain events ↔ stored events: `union.members.<aggregate>.<event>.v1` and JSON data.

Dates travel as ISO strings and tuples as lists. A change to an event's fields is a new
version (`.v2`) with an upcaster, never an edit of `.v1`.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from .events import (
    CampaignOpened,
    CardIssued,
    IdentityClaimed,
    MemberEnrolled,
    MemberLeft,
    MemberRegistered,
    MemberTransferred,
    OrgRegistered,
    PersonalDataErased,
    SignUpsRecorded,
)

DomainEvent = (
    OrgRegistered
    | IdentityClaimed
    | CardIssued
    | MemberRegistered
    | MemberTransferred
    | MemberLeft
    | MemberEnrolled
    | PersonalDataErased
    | CampaignOpened
    | SignUpsRecorded
)

EVENT_TYPES: dict[type[Any], str] = {
    OrgRegistered: "union.members.org.registered.v1",
    IdentityClaimed: "union.members.identity.claimed.v1",
    CardIssued: "union.members.card.issued.v1",
    MemberRegistered: "union.members.member.registered.v1",
    MemberTransferred: "union.members.member.transferred.v1",
    MemberLeft: "union.members.member.left.v1",
    MemberEnrolled: "union.members.member.enrolled.v1",
    PersonalDataErased: "union.members.member.personal_data_erased.v1",
    CampaignOpened: "union.members.campaign.opened.v1",
    SignUpsRecorded: "union.members.campaign.signups_recorded.v1",
}
EVENT_CLASSES = {name: cls for cls, name in EVENT_TYPES.items()}


class UnknownEvent(ValueError):
    """An event type (or object) this service does not know."""


def _same(value: Any) -> Any:
    return value


def _codecs(hint: Any) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """(to JSON, from JSON) for one field's type."""
    if hint is date:
        return date.isoformat, date.fromisoformat
    if typing.get_origin(hint) is tuple:
        return list, tuple
    return _same, _same


# Per event class: (field name, to JSON, from JSON), worked out once from the dataclasses.
_FIELDS = {
    cls: [(f.name, *_codecs(typing.get_type_hints(cls)[f.name])) for f in dataclasses.fields(cls)]
    for cls in EVENT_TYPES
}


def encode(event: object) -> tuple[str, dict[str, Any]]:
    cls = type(event)
    if cls not in EVENT_TYPES:
        raise UnknownEvent(f"not a members event: {cls.__name__}")
    return EVENT_TYPES[cls], {name: out(getattr(event, name)) for name, out, _ in _FIELDS[cls]}


def decode(event_type: str, data: Mapping[str, Any]) -> DomainEvent:
    cls = EVENT_CLASSES.get(event_type)
    if cls is None:
        raise UnknownEvent(f"not a members event type: {event_type}")
    event: DomainEvent = cls(
        **{name: back(data[name]) for name, _, back in _FIELDS[cls] if name in data}
    )
    return event
