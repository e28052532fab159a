"""A member: given events → when a command → then events or a refusal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from members.domain.events import (
    MemberEnrolled,
    MemberEvent,
    MemberLeft,
    MemberRegistered,
    MemberRejoined,
    MemberTransferred,
    PersonalDataErased,
)
from members.domain.member import (
    Member,
    decide_enrol,
    decide_erase,
    decide_leave,
    decide_register,
    decide_rejoin,
    decide_transfer,
    evolve_member,
)
from members.domain.orgs import Org
from members.domain.plan_years import PlanYear
from union_events.errors import DomainError

TODAY = date(2026, 11, 23)
U1 = Org("zhoushan/dinghai/u1", "u1", "unit", "zhoushan/dinghai")
U2 = Org("zhoushan/dinghai/u2", "u2", "unit", "zhoushan/dinghai")
P1 = Org("zhoushan/putuo/p1", "p1", "unit", "zhoushan/putuo")
CENTER = Org("zhoushan/dinghai/center", "c", "service_point", "zhoushan/dinghai")
DISTRICT = Org("zhoushan/dinghai", "d", "district", "zhoushan")
JOINED = MemberRegistered("m1", "6200000000000001", U1.path, U1.parent or "", "sealed", TODAY)
LEFT = MemberLeft(U1.path, TODAY, "retired")
ERASED = PersonalDataErased(TODAY)
BACK = MemberRejoined(P1.path, "zhoushan/putuo", TODAY)


def heard(year: int, closes: date | None = None, plan_id: str = "p") -> PlanYear:
    return PlanYear(plan_id, year, closes)


def given(*events: MemberEvent) -> Member:
    state = Member()
    for event in events:
        state = evolve_member(state, event)
    return state


def refused(decide: Callable[..., object], state: Member, **command: object) -> DomainError:
    with pytest.raises(DomainError) as raised:
        decide(state, today=TODAY, **command)
    return raised.value


def test_given_nobody_when_registering_in_a_unit_then_the_member_joins_its_district() -> None:
    events = decide_register(
        Member(),
        member_id="m1",
        card_no="6200000000000001",
        unit=U1,
        sealed="sealed",
        today=TODAY,
    )
    assert events == [JOINED]
    assert given(*events) == Member(
        member_id="m1",
        card_no="6200000000000001",
        unit=U1.path,
        district="zhoushan/dinghai",
        sealed="sealed",
        status="active",
        units=((U1.path, TODAY),),
    )


def test_a_qr_sign_up_records_its_channel() -> None:
    [event] = decide_register(
        Member(),
        member_id="m",
        card_no="c",
        unit=U1,
        sealed="s",
        today=TODAY,
        channel="qr_campaign",
    )
    assert event.channel == "qr_campaign"


@pytest.mark.parametrize(
    ("events", "decide", "command", "status", "code"),
    [
        (
            (JOINED,),
            decide_register,
            dict(member_id="m2", card_no="c", unit=U1, sealed="s"),
            409,
            "member_exists",
        ),
        (
            (),
            decide_register,
            dict(member_id="m", card_no="c", unit=None, sealed="s"),
            422,
            "unknown_unit",
        ),
        (
            (),
            decide_register,
            dict(member_id="m", card_no="c", unit=CENTER, sealed="s"),
            422,
            "unknown_unit",
        ),
        (
            (),
            decide_register,
            dict(member_id="m", card_no="c", unit=U1, sealed="s", channel="fax"),
            422,
            "invalid_channel",
        ),
        ((), decide_transfer, dict(to_unit=U2), 404, "member_not_found"),
        ((JOINED, LEFT), decide_transfer, dict(to_unit=U2), 409, "member_left"),
        ((JOINED,), decide_transfer, dict(to_unit=None), 422, "unknown_unit"),
        ((JOINED,), decide_transfer, dict(to_unit=DISTRICT), 422, "unknown_unit"),
        ((JOINED,), decide_transfer, dict(to_unit=U1), 422, "already_in_unit"),
        ((), decide_leave, dict(reason="moved"), 404, "member_not_found"),
        ((JOINED, LEFT), decide_leave, dict(reason="again"), 409, "member_left"),
        ((JOINED,), decide_leave, dict(reason="  "), 422, "reason_required"),
        (
            (),
            decide_enrol,
            dict(plan_id="p", year=2026, plan_year=heard(2026)),
            404,
            "member_not_found",
        ),
        (
            (JOINED, LEFT),
            decide_enrol,
            dict(plan_id="p", year=2026, plan_year=heard(2026)),
            409,
            "member_left",
        ),
        (
            (JOINED,),
            decide_enrol,
            dict(plan_id="p", year=2024, plan_year=heard(2024)),
            422,
            "bad_plan_year",
        ),
        (
            (JOINED,),
            decide_enrol,
            dict(plan_id="p", year=2028, plan_year=heard(2028)),
            422,
            "bad_plan_year",
        ),
        (
            (JOINED, MemberEnrolled("p", 2026, "zhoushan/dinghai", TODAY)),
            decide_enrol,
            dict(plan_id="p", year=2026, plan_year=heard(2026)),
            409,
            "already_enrolled",
        ),
        (
            (JOINED,),
            decide_enrol,
            dict(plan_id="p", year=2026, plan_year=None),
            422,
            "unknown_plan_year",
        ),
        (
            (JOINED,),
            decide_enrol,
            dict(plan_id="p", year=2026, plan_year=heard(2026, date(2026, 11, 22))),
            422,
            "enrolment_closed",
        ),
        (
            (JOINED, ERASED),
            decide_enrol,
            dict(plan_id="p", year=2026, plan_year=heard(2026)),
            409,
            "member_erased",
        ),
        ((JOINED, ERASED), decide_transfer, dict(to_unit=U2), 409, "member_erased"),
        ((JOINED, LEFT, ERASED), decide_transfer, dict(to_unit=U2), 409, "member_erased"),
        ((JOINED, ERASED), decide_leave, dict(reason="gone"), 409, "member_erased"),
        ((), decide_rejoin, dict(unit=U1), 404, "member_not_found"),
        ((JOINED,), decide_rejoin, dict(unit=U2), 409, "member_active"),
        ((JOINED, LEFT, ERASED), decide_rejoin, dict(unit=U1), 409, "member_erased"),
        ((JOINED, LEFT), decide_rejoin, dict(unit=CENTER), 422, "unknown_unit"),
        ((JOINED, LEFT), decide_rejoin, dict(unit=None), 422, "unknown_unit"),
        ((), decide_erase, {}, 404, "member_not_found"),
    ],
)
def test_given_a_history_when_a_command_breaks_a_rule_then_it_is_refused(
    events: tuple[MemberEvent, ...],
    decide: Callable[..., object],
    command: dict[str, object],
    status: int,
    code: str,
) -> None:
    error = refused(decide, given(*events), **command)
    assert (error.status, error.code) == (status, code)
    assert error.message


def test_the_loser_of_a_registration_learns_the_existing_member_id() -> None:
    error = refused(
        decide_register, given(JOINED), member_id="m2", card_no="c", unit=U1, sealed="s"
    )
    assert error.details == {"member_id": "m1"}


def test_given_a_member_when_transferred_to_another_district_then_history_is_kept() -> None:
    events = decide_transfer(given(JOINED), to_unit=P1, today=date(2027, 3, 1))
    assert events == [
        MemberTransferred(U1.path, P1.path, "zhoushan/dinghai", "zhoushan/putuo", date(2027, 3, 1))
    ]
    state = given(JOINED, *events)
    assert (state.unit, state.district) == (P1.path, "zhoushan/putuo")
    assert state.units == ((U1.path, TODAY), (P1.path, date(2027, 3, 1)))


def test_given_a_member_when_leaving_then_the_member_is_no_longer_active() -> None:
    events = decide_leave(given(JOINED), reason=" retired ", today=TODAY)
    assert events == [LEFT]
    assert given(JOINED, *events).status == "left"


@pytest.mark.parametrize("year", [2025, 2026, 2027])
def test_given_a_member_when_enrolled_then_the_insuring_district_is_the_current_one(
    year: int,
) -> None:
    moved = MemberTransferred(U1.path, P1.path, "zhoushan/dinghai", "zhoushan/putuo", TODAY)
    events = decide_enrol(
        given(JOINED, moved),
        plan_id="mutual-aid",
        year=year,
        today=TODAY,
        plan_year=heard(year, plan_id="mutual-aid"),
    )
    assert events == [MemberEnrolled("mutual-aid", year, "zhoushan/putuo", TODAY)]
    state = given(JOINED, moved, *events)
    assert state.enrolments == {("mutual-aid", year)}
    assert state.enrolment_districts == (("mutual-aid", year, "zhoushan/putuo"),)


def test_given_a_member_when_erased_then_the_sealed_data_is_gone_and_the_rest_stays() -> None:
    enrolled = MemberEnrolled("p", 2026, "zhoushan/dinghai", TODAY)
    events = decide_erase(given(JOINED, enrolled), today=TODAY)
    assert events == [PersonalDataErased(TODAY)]
    state = given(JOINED, enrolled, *events)
    assert (state.erased, state.sealed, state.status) == (True, None, "erased")
    assert (state.member_id, state.unit, state.enrolments) == (
        "m1",
        U1.path,
        frozenset({("p", 2026)}),
    )


@pytest.mark.parametrize(
    "history", [(JOINED, PersonalDataErased(TODAY)), (JOINED, LEFT, PersonalDataErased(TODAY))]
)
def test_given_an_erased_member_when_erased_again_then_nothing_happens(
    history: tuple[MemberEvent, ...],
) -> None:
    assert decide_erase(given(*history), today=TODAY) == []


def test_a_member_who_left_can_still_be_erased() -> None:
    assert decide_erase(given(JOINED, LEFT), today=TODAY) == [PersonalDataErased(TODAY)]


def test_given_a_member_who_left_when_rejoining_then_active_again_with_history_kept() -> None:
    events = decide_rejoin(given(JOINED, LEFT), unit=P1, today=date(2027, 2, 1))
    assert events == [MemberRejoined(P1.path, "zhoushan/putuo", date(2027, 2, 1))]
    state = given(JOINED, LEFT, *events)
    assert (state.status, state.unit, state.district) == ("active", P1.path, "zhoushan/putuo")
    assert state.units == ((U1.path, TODAY), (P1.path, date(2027, 2, 1)))
    assert state.member_id == "m1" and state.card_no == JOINED.card_no


def test_a_rejoined_member_may_leave_and_be_enrolled_again() -> None:
    state = given(JOINED, LEFT, BACK)
    assert decide_leave(state, reason="moved", today=TODAY) == [MemberLeft(P1.path, TODAY, "moved")]
    [enrolled] = decide_enrol(state, plan_id="p", year=2026, today=TODAY, plan_year=heard(2026))
    assert enrolled.insuring_district == "zhoushan/putuo"


@pytest.mark.parametrize(
    ("closes", "accepted"),
    [(None, True), (date(2026, 11, 23), True), (date(2026, 11, 22), False)],
)
def test_enrolment_is_open_until_the_day_the_plan_year_closes_it(
    closes: date | None, accepted: bool
) -> None:
    plan_year = heard(2026, closes)
    if accepted:
        assert decide_enrol(given(JOINED), plan_id="p", year=2026, today=TODAY, plan_year=plan_year)
    else:
        error = refused(decide_enrol, given(JOINED), plan_id="p", year=2026, plan_year=plan_year)
        assert error.code == "enrolment_closed" and "2026-11-22" in error.message


def test_an_unknown_plan_year_is_refused_in_words_naming_it() -> None:
    error = refused(decide_enrol, given(JOINED), plan_id="inpatient", year=2026, plan_year=None)
    assert error.code == "unknown_plan_year"
    assert "inpatient" in error.message and "2026" in error.message
