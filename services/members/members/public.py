"""What other services see of the members log (the relay's public view): member ids, org paths
and enrolment facts. Identity and card events, sealed personal data, card numbers and free
text never leave.

It works on the stored JSON directly (the relay calls it for every logged event); the tests
check that what it returns validates against the published contracts in
`union_events.published.members`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from union_events.contracts import EventPayload
from union_events.published import members as published

# stored type -> (published contract, fields copied as they are, member id from the stream?)
_SHOWN: dict[str, tuple[type[EventPayload], tuple[str, ...], bool]] = {
    "union.members.org.registered.v1": (
        published.OrgRegistered, ("path", "name", "level", "parent"), False,
    ),
    "union.members.member.registered.v1": (
        published.MemberRegistered, ("member_id", "unit", "district", "joined_on", "channel"),
        False,
    ),
    "union.members.member.transferred.v1": (
        published.MemberTransferred,
        ("from_unit", "to_unit", "from_district", "to_district", "on"), True,
    ),
    "union.members.member.left.v1": (published.MemberLeft, ("unit", "on"), True),
    "union.members.member.rejoined.v1": (
        published.MemberRejoined, ("unit", "district", "on"), True,
    ),
    "union.members.member.enrolled.v1": (
        published.MemberEnrolled, ("plan_id", "year", "insuring_district", "on"), True,
    ),
    "union.members.member.personal_data_erased.v1": (published.MemberErased, ("on",), True),
    "union.members.join_request.received.v1": (
        published.JoinRequestReceived, ("request_id", "intake_id", "district", "on"), False,
    ),
}  # fmt: skip
_SIGNUPS = "union.members.campaign.signups_recorded.v1"


def public_view(
    stream_id: str, event_type: str, data: Mapping[str, Any]
) -> tuple[str, Mapping[str, Any]] | None:
    shown = _SHOWN.get(event_type)
    if shown is not None:
        contract, fields, member_from_stream = shown
        public = {name: data.get(name) for name in fields}
        if member_from_stream:
            public["member_id"] = stream_id.removeprefix("member-")
        return contract.event_type(), public
    if event_type == _SIGNUPS:
        return published.SignUpsRecorded.event_type(), {
            "campaign_id": stream_id.removeprefix("campaign-"),
            "on": data["on"],
            "count": len(data["member_ids"]),
            "duplicates": data["duplicates"],
        }
    return None  # identity, card, campaign set-up: the service's own business
