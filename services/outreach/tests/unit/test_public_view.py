"""What leaves outreach: the published contracts only; card numbers and free text never."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from outreach.domain import codec
from outreach.domain.events import (
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
    PointClosed,
    PointOpened,
    PointRegistered,
    SessionCancelled,
    SessionHeld,
    SessionScheduled,
)
from outreach.public import public_view
from union_events.published import outreach as published

DAY = date(2026, 10, 10)
P, D = "zhoushan/dinghai/ferry-square", "zhoushan/dinghai"
CARD = "6200000000000001"
M1 = "0b8a7c1e-3f7d-4a53-9c1f-2d5e8f6a7b90"
SHOWN = [
    ("point-x", PointRegistered(P, D, "渡口广场", "station", ("wifi",), ("mon 08:00-18:00",), DAY)),
    ("point-x", PointOpened(P, D, DAY)),
    ("point-x", PointClosed(P, D, "台风", DAY)),
    ("session-s1", SessionHeld("s1", P, D, DAY, ("legal_aid",), 3)),
    ("session-s1", MemberCheckedIn("s1", P, D, CARD, DAY)),
    ("session-s1", AnonymousCheckedIn("s1", P, D, 12, DAY)),
    ("session-s1", KnownMemberCheckedIn("s1", P, D, M1, DAY)),
    ("session-s1", CardCheckedIn("s1", P, D, CARD, DAY)),
    (
        "intake-i1",
        IntakeRecorded("i1", "hardship", "session", D, P, "s1", None, CARD, "生活困难", DAY),
    ),
    ("intake-i1", IntakeClosed("i1", D, "wage_arrears", "wages_recovered", Decimal("12000"), DAY)),
    ("campaign-c", ItemHandedOut("c", "m1", P, D, DAY)),
]
KEPT = [
    ("session-s1", SessionScheduled("s1", P, D, DAY, ("legal_aid",))),
    ("session-s1", SessionCancelled("s1", P, D, "台风", DAY)),
    ("intake-i1", IntakeAccepted("relief", "a1", DAY)),
    ("campaign-c", CampaignOpened("c", "夏送清凉", "other", 5, (), (), DAY, DAY)),
    ("campaign-c-member-m1", MemberServed("c", P, DAY)),
    (f"member-{M1}", MemberNoted(M1, D, DAY)),  # heard from members: theirs to publish
    (f"member-{M1}", MemberMoved(M1, "zhoushan/putuo", DAY)),
]


@pytest.mark.parametrize(("stream_id", "event"), SHOWN)
def test_published_events_validate_against_the_contracts(stream_id, event):
    event_type, data = codec.encode(event)
    shown = public_view(stream_id, event_type, data)
    assert shown is not None
    public_type, public_data = shown
    payload = published.registry.parse(public_type, public_data)
    text = str(public_data)
    assert CARD not in text and "生活困难" not in text and "台风" not in text
    assert payload.model_dump(mode="json")  # a valid contract


def test_an_intake_is_published_as_exactly_intake_recorded():
    event = IntakeRecorded("i1", "hardship", "station", D, P, None, "m1", None, "", DAY)
    public_type, data = public_view("intake-i1", *codec.encode(event))
    assert public_type == "union.outreach.intake.recorded.v1"
    assert set(data) == set(published.IntakeRecorded.model_fields)
    assert published.IntakeRecorded.model_validate(data).member_id == "m1"


def test_check_ins_are_published_as_counts_without_card_numbers_or_member_ids():
    for event, counts in (
        (MemberCheckedIn("s1", P, D, CARD, DAY), (1, 0)),
        (KnownMemberCheckedIn("s1", P, D, M1, DAY), (1, 0)),
        (CardCheckedIn("s1", P, D, CARD, DAY), (0, 1)),
        (AnonymousCheckedIn("s1", P, D, 12, DAY), (0, 12)),
    ):
        shown = public_view("s", *codec.encode(event))
        assert shown is not None
        _, data = shown
        assert (data["members"], data["anonymous"]) == counts
        assert CARD not in str(data) and M1 not in str(data)


@pytest.mark.parametrize(("stream_id", "event"), KEPT)
def test_private_events_stay_inside(stream_id, event):
    assert public_view(stream_id, *codec.encode(event)) is None


def test_every_event_round_trips_through_the_codec():
    for _, event in SHOWN + KEPT:
        assert codec.decode(*codec.encode(event)) == event
