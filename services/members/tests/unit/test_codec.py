"""Stored events: every domain event has a versioned type and survives a round trip."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given
from members.domain import codec
from members.domain.events import (
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

from .strategies import any_event

ON = date(2026, 11, 23)
EXAMPLES = [
    (OrgRegistered("zhoushan", "舟山", "city", None), "union.members.org.registered.v1"),
    (IdentityClaimed("m1"), "union.members.identity.claimed.v1"),
    (IdentityReleased("m1"), "union.members.identity.released.v1"),
    (CardIssued("m1"), "union.members.card.issued.v1"),
    (
        MemberRegistered("m1", "62", "z/d/u", "z/d", "s", ON, "qr_campaign"),
        "union.members.member.registered.v1",
    ),
    (MemberTransferred("z/d/u", "z/p/u", "z/d", "z/p", ON), "union.members.member.transferred.v1"),
    (MemberLeft("z/d/u", ON, "退休"), "union.members.member.left.v1"),
    (MemberRejoined("z/d/u", "z/d", ON), "union.members.member.rejoined.v1"),
    (MemberEnrolled("plan", 2026, "z/d", ON), "union.members.member.enrolled.v1"),
    (PersonalDataErased(ON), "union.members.member.personal_data_erased.v1"),
    (CampaignOpened("c", "z/d", "骑手", 100, 1000, 10000, ON), "union.members.campaign.opened.v1"),
    (SignUpsRecorded(ON, ("m1", "m2"), 3), "union.members.campaign.signups_recorded.v1"),
]


@pytest.mark.parametrize(("event", "event_type"), EXAMPLES)
def test_every_event_has_its_versioned_type_and_round_trips_through_json(
    event: object, event_type: str
) -> None:
    stored_type, data = codec.encode(event)
    assert stored_type == event_type
    assert codec.decode(stored_type, json.loads(json.dumps(data))) == event


def test_every_event_of_the_service_has_an_example() -> None:
    assert {type(e) for e, _ in EXAMPLES} == set(codec.EVENT_TYPES)


def test_dates_are_iso_strings_and_tuples_are_lists() -> None:
    _, data = codec.encode(SignUpsRecorded(ON, ("m1",), 0))
    assert data == {"on": "2026-11-23", "member_ids": ["m1"], "duplicates": 0}


def test_a_registration_stored_before_channels_existed_is_read_as_a_counter_one() -> None:
    _, data = codec.encode(MemberRegistered("m1", "62", "z/d/u", "z/d", "s", ON))
    del data["channel"]
    event = codec.decode("union.members.member.registered.v1", data)
    assert isinstance(event, MemberRegistered) and event.channel == "counter"


def test_an_unknown_type_or_object_is_refused() -> None:
    with pytest.raises(codec.UnknownEvent):
        codec.decode("union.members.member.promoted.v1", {})
    with pytest.raises(codec.UnknownEvent):
        codec.encode(object())


@given(any_event)
def test_decoding_an_encoded_event_gives_the_event_back(event: object) -> None:
    event_type, data = codec.encode(event)
    assert codec.decode(event_type, json.loads(json.dumps(data))) == event
