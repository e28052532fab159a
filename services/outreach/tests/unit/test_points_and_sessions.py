"""Service points and roving sessions: given events, when a command, then events or an error."""

from __future__ import annotations

from datetime import date
from functools import reduce

import pytest
from outreach.domain import points, sessions
from outreach.domain.events import (
    AnonymousCheckedIn,
    CardCheckedIn,
    KnownMemberCheckedIn,
    MemberCheckedIn,
    PointClosed,
    PointRegistered,
    SessionHeld,
    SessionScheduled,
)
from outreach.domain.members import KnownMember
from outreach.domain.points import Point, evolve_point
from outreach.domain.sessions import Session, evolve_session
from union_events.errors import DomainError

DAY = date(2026, 10, 10)
P = "zhoushan/dinghai/ferry-square"
REGISTERED = PointRegistered(P, "zhoushan/dinghai", "渡口广场", "roving_point", (), (), DAY)
SCHEDULED = SessionScheduled("s1", P, "zhoushan/dinghai", DAY, ("legal_aid", "haircuts"))
HELD = SessionHeld("s1", P, "zhoushan/dinghai", DAY, ("legal_aid", "haircuts"), 3)
CARD = "6200000000000001"
D = "zhoushan/dinghai"
M1 = "0b8a7c1e-3f7d-4a53-9c1f-2d5e8f6a7b90"


def point(*events) -> Point:
    return reduce(evolve_point, events, Point())


def session(*events) -> Session:
    return reduce(evolve_session, events, Session())


def test_a_station_is_registered_with_its_amenities_and_hours():
    [event] = points.decide_register(
        Point(),
        point="zhoushan/dinghai/pier-station",
        name="码头驿站",
        kind="station",
        amenities=["wifi", "hot_water", "charging"],
        hours={"mon": "08:00-18:00"},
        today=DAY,
    )
    assert event.amenities == ("hot_water", "wifi", "charging")
    assert event.district == "zhoushan/dinghai" and event.hours == ("mon 08:00-18:00",)


@pytest.mark.parametrize(
    ("given", "kind", "amenities", "code"),
    [
        ([REGISTERED], "roving_point", [], "point_exists"),
        ([], "kiosk", [], "invalid_point_kind"),
        ([], "roving_point", ["wifi"], "amenities_for_stations"),
        ([], "station", ["sauna"], "invalid_amenity"),
    ],
)
def test_registering_a_point_refuses(given, kind, amenities, code):
    with pytest.raises(DomainError) as refused:
        points.decide_register(
            point(*given), point=P, name="x", kind=kind, amenities=amenities, hours={}, today=DAY
        )
    assert refused.value.code == code


def test_closing_and_opening_a_point_is_recorded_once():
    closed = points.decide_close(point(REGISTERED), "装修", DAY)
    assert closed == [PointClosed(P, "zhoushan/dinghai", "装修", DAY)]
    assert points.decide_close(point(REGISTERED, *closed), "again", DAY) == []
    assert len(points.decide_open(point(REGISTERED, *closed), DAY)) == 1


def test_a_session_is_scheduled_at_an_open_point_with_its_services():
    [event] = sessions.decide_schedule(
        Session(),
        session_id="s1",
        point=point(REGISTERED),
        on=DAY,
        services=["haircuts", "legal_aid"],
    )
    assert event == SCHEDULED


@pytest.mark.parametrize(
    ("given", "services", "code"),
    [
        ([REGISTERED, PointClosed(P, "zhoushan/dinghai", "", DAY)], ["legal_aid"], "point_closed"),
        ([], ["legal_aid"], "point_not_found"),
        ([REGISTERED], [], "services_required"),
        ([REGISTERED], ["massage"], "invalid_service"),
    ],
)
def test_scheduling_refuses(given, services, code):
    with pytest.raises(DomainError) as refused:
        sessions.decide_schedule(
            Session(), session_id="s1", point=point(*given), on=DAY, services=services
        )
    assert refused.value.code == code


def test_a_session_is_held_with_its_staff_on_or_after_its_day():
    assert sessions.decide_hold(session(SCHEDULED), staff=3, today=DAY) == [HELD]
    with pytest.raises(DomainError, match="cannot be held before"):
        sessions.decide_hold(session(SCHEDULED), staff=3, today=date(2026, 10, 9))


@pytest.mark.parametrize(
    ("given", "code"), [([SCHEDULED, HELD], "session_held"), ([], "session_not_found")]
)
def test_a_held_or_unknown_session_cannot_be_held_or_cancelled(given, code):
    for decide in (
        lambda: sessions.decide_hold(session(*given), staff=1, today=DAY),
        lambda: sessions.decide_cancel(session(*given), reason="typhoon", today=DAY),
    ):
        with pytest.raises(DomainError) as refused:
            decide()
        assert refused.value.code == code


def test_check_ins_count_known_members_as_members_and_cards_and_crowds_anonymously():
    state = session(SCHEDULED, HELD)
    member = sessions.decide_check_in(state, member_id=M1, member=KnownMember(M1, D))
    card = sessions.decide_check_in(state, card_no=CARD)
    crowd = sessions.decide_check_in(state, anonymous=40)
    assert member == [KnownMemberCheckedIn("s1", P, D, M1, DAY)]
    assert card == [CardCheckedIn("s1", P, D, CARD, DAY)]  # no member outreach can name
    assert crowd == [AnonymousCheckedIn("s1", P, D, 40, DAY)]
    assert [sessions.counted_as(e) for e in (member, card, crowd)] == [
        "member",
        "anonymous",
        "anonymous",
    ]
    after = session(SCHEDULED, HELD, *member, *card, *crowd)
    assert (after.member_check_ins, after.anonymous_check_ins, after.person_times) == (1, 41, 42)


def test_a_check_in_with_an_unknown_card_is_not_counted_as_a_member_s():
    # issue 18 #8: a made-up card counted as a member's check-in
    made_up = sessions.decide_check_in(session(SCHEDULED, HELD), card_no="6299999999999999")
    after = session(SCHEDULED, HELD, *made_up)
    assert (after.member_check_ins, after.anonymous_check_ins) == (0, 1)


def test_a_check_in_by_a_member_id_outreach_has_not_heard_of_is_refused():
    with pytest.raises(DomainError) as refused:
        sessions.decide_check_in(session(SCHEDULED, HELD), member_id=M1, member=KnownMember())
    assert refused.value.code == "unknown_member"


def test_sessions_of_the_past_keep_their_card_check_ins_as_members():
    before = session(SCHEDULED, HELD, MemberCheckedIn("s1", P, D, CARD, DAY))
    assert (before.member_check_ins, before.person_times) == (1, 1)
    with pytest.raises(DomainError) as refused:
        sessions.decide_check_in(before, card_no=CARD)
    assert refused.value.code == "already_checked_in"


@pytest.mark.parametrize(
    ("given", "card", "anonymous", "code"),
    [
        ([SCHEDULED], CARD, 0, "session_not_held"),
        (
            [SCHEDULED, HELD, CardCheckedIn("s1", P, "d", CARD, DAY)],
            CARD,
            0,
            "already_checked_in",
        ),
        ([SCHEDULED, HELD], CARD, 2, "invalid_check_in"),
        ([SCHEDULED, HELD], None, 0, "invalid_check_in"),
        ([SCHEDULED, HELD], None, 5000, "invalid_check_in"),
    ],
)
def test_check_ins_refuse(given, card, anonymous, code):
    with pytest.raises(DomainError) as refused:
        sessions.decide_check_in(session(*given), card_no=card, anonymous=anonymous)
    assert refused.value.code == code
