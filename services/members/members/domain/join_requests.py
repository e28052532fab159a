"""Join requests (入会申请) reaching a district from outreach: a union_enrolment intake taken at
a roving session, a station or online becomes a request the district's clerks follow up.

One request per intake (stream `join-request-<intake_id>`, appended at version 0 only).
No personal data: the requester is a member id (a former member, say) or anonymous.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from union_events.event_codec import EventCodec

ENROLMENT = "union_enrolment"


@dataclass(frozen=True)
class JoinRequestReceived:
    request_id: str
    intake_id: str
    district: str
    place: str | None  # the service point where it was taken; None online
    member_id: str | None
    on: date


EVENT_TYPES: dict[type[Any], str] = {
    JoinRequestReceived: "union.members.join_request.received.v1",
}
_CODEC = EventCodec("members", EVENT_TYPES)


def request_id_for(intake_id: str) -> str:
    """The same request id for the same intake, however often it is heard."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"union-join-request:{intake_id}"))


def decide_receive(
    already: bool,
    *,
    intake_id: str,
    kind: str,
    district: str,
    place: str | None,
    member_id: str | None,
    on: date,
) -> list[JoinRequestReceived]:
    """A request for an enrolment intake heard for the first time; nothing otherwise."""
    if already or kind != ENROLMENT:
        return []
    return [
        JoinRequestReceived(request_id_for(intake_id), intake_id, district, place, member_id, on)
    ]


def encode(event: object) -> tuple[str, dict[str, Any]]:
    return _CODEC.encode(event)


def decode(event_type: str, data: Mapping[str, Any]) -> JoinRequestReceived:
    event: JoinRequestReceived = _CODEC.decode(event_type, data)
    return event
