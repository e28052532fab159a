"""What other services see of the members log (the relay's public view): member ids, org paths
and enrolment facts. Identity and card events, sealed personal data, card numbers and free
text never leave."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from union_events.contracts import EventPayload
from union_events.published import members as published

from .domain import codec
from .domain.events import (
    MemberEnrolled,
    MemberLeft,
    MemberRegistered,
    MemberTransferred,
    OrgRegistered,
    PersonalDataErased,
    SignUpsRecorded,
)


def public_view(
    stream_id: str, event_type: str, data: Mapping[str, Any]
) -> tuple[str, Mapping[str, Any]] | None:
    if not event_type.startswith(
        ("union.members.member.", "union.members.org.", "union.members.campaign.signups")
    ):
        return None  # identity, card, campaign set-up: the service's own business
    payload = _public(stream_id, codec.decode(event_type, data))
    if payload is None:
        return None
    return payload.event_type(), payload.model_dump(mode="json")


def _public(stream_id: str, event: object) -> EventPayload | None:
    member_id = stream_id.removeprefix("member-")
    match event:
        case OrgRegistered(path=path, name=name, level=level, parent=parent):
            return published.OrgRegistered(path=path, name=name, level=level, parent=parent)
        case MemberRegistered():
            return published.MemberRegistered(
                member_id=event.member_id,
                unit=event.unit,
                district=event.district,
                joined_on=event.joined_on,
                channel=event.channel,
            )
        case MemberTransferred():
            return published.MemberTransferred(
                member_id=member_id,
                from_unit=event.from_unit,
                to_unit=event.to_unit,
                from_district=event.from_district,
                to_district=event.to_district,
                on=event.on,
            )
        case MemberLeft():
            return published.MemberLeft(member_id=member_id, unit=event.unit, on=event.on)
        case MemberEnrolled():
            return published.MemberEnrolled(
                member_id=member_id,
                plan_id=event.plan_id,
                year=event.year,
                insuring_district=event.insuring_district,
                on=event.on,
            )
        case PersonalDataErased():
            return published.MemberErased(member_id=member_id, on=event.on)
        case SignUpsRecorded():
            return published.SignUpsRecorded(
                campaign_id=stream_id.removeprefix("campaign-"),
                on=event.on,
                count=len(event.member_ids),
                duplicates=event.duplicates,
            )
    return None
