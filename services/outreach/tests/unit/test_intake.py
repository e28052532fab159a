"""Intake: recorded at a session, a station or online; routed by kind; accepted; closed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import reduce

import pytest
from outreach.domain import intake
from outreach.domain.events import IntakeAccepted, IntakeClosed, IntakeRecorded
from outreach.domain.intake import Intake, Requester, evolve_intake
from outreach.domain.sessions import Session
from union_events.errors import DomainError

DAY = date(2026, 10, 10)
P = "zhoushan/dinghai/ferry-square"
HELD = Session("held", "s1", P, "zhoushan/dinghai", DAY, ("legal_aid",), 2)


def record(**overrides):
    command = {
        "intake_id": "i1",
        "kind": "wage_arrears",
        "channel": "session",
        "session": HELD,
        "place": None,
        "district": None,
        "requester": Requester(card_no="6200000000000001"),
        "summary": "",
        "today": DAY,
    } | overrides
    return intake.decide_record(Intake(), **command)


def state(*events) -> Intake:
    return reduce(evolve_intake, events, Intake())


def test_a_session_intake_takes_the_session_point_and_district():
    [event] = record()
    assert (event.place, event.district, event.session_id) == (P, "zhoushan/dinghai", "s1")
    assert state(event).status == "recorded" and state(event).routed_to is None


@pytest.mark.parametrize(("kind", "to"), [("hardship", "relief"), ("union_enrolment", "members")])
def test_hardship_and_enrolment_intakes_are_routed(kind, to):
    routed = state(*record(kind=kind))
    assert (routed.status, routed.routed_to) == ("routed", to)


def test_an_online_intake_is_anonymous_with_a_summary_in_its_district():
    [event] = record(
        channel="online", session=None, district="zhoushan/putuo", requester=Requester(),
        summary="外卖骑手,平台拖欠三个月工资",
    )  # fmt: skip
    assert event.place is None and event.district == "zhoushan/putuo"


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"kind": "gossip"}, "invalid_intake_kind"),
        ({"channel": "fax"}, "invalid_channel"),
        ({"session": None}, "session_not_held"),
        ({"session": Session("scheduled", "s1", P, "zhoushan/dinghai", DAY)}, "session_not_held"),
        ({"channel": "station", "session": None}, "place_required"),
        ({"channel": "online", "session": None, "requester": Requester("m1")}, "district_required"),
        ({"channel": "online", "session": None, "district": "zhoushan/putuo"}, "card_not_allowed"),
        ({"channel": "online", "place": P, "requester": Requester()}, "place_not_allowed"),
        ({"requester": Requester("m1", "6200000000000001")}, "invalid_requester"),
        ({"requester": Requester()}, "summary_required"),
        ({"summary": "电话 13912345678"}, "personal_data_in_text"),
    ],
)
def test_recording_an_intake_refuses(overrides, code):
    with pytest.raises(DomainError) as refused:
        record(**overrides)
    assert refused.value.code == code


def test_acceptance_by_the_owning_service_is_recorded_once():
    [recorded] = record(kind="hardship")
    accepted = intake.decide_accept(state(recorded), by="relief", reference="a1", today=DAY)
    assert accepted == [IntakeAccepted("relief", "a1", DAY)]
    assert state(recorded, *accepted).status == "accepted"
    assert (
        intake.decide_accept(state(recorded, *accepted), by="relief", reference="a1", today=DAY)
        == []
    )
    assert intake.decide_accept(state(recorded), by="members", reference="r", today=DAY) == []
    assert intake.decide_accept(Intake(), by="relief", reference="a1", today=DAY) == []


def test_an_intake_closes_with_an_outcome_and_amount():
    [recorded] = record()
    [closed] = intake.decide_close(
        state(recorded), outcome="wages_recovered", amount=Decimal("12000.00"), today=DAY
    )
    assert closed == IntakeClosed(
        "i1", "zhoushan/dinghai", "wage_arrears", "wages_recovered", Decimal("12000.00"), DAY
    )
    assert state(recorded, closed).status == "closed"


@pytest.mark.parametrize(
    ("outcome", "amount", "code"),
    [
        ("wages_recovered", None, "amount_required"),
        ("answered", Decimal("1.00"), "amount_not_allowed"),
        ("solved", None, "invalid_outcome"),
    ],
)
def test_closing_refuses(outcome, amount, code):
    [recorded] = record()
    with pytest.raises(DomainError) as refused:
        intake.decide_close(state(recorded), outcome=outcome, amount=amount, today=DAY)
    assert refused.value.code == code


def test_a_closed_intake_stays_closed_when_acceptance_comes_late():
    [recorded] = record(kind="hardship")
    closed = IntakeClosed("i1", "zhoushan/dinghai", "hardship", "withdrawn", None, DAY)
    late = state(recorded, closed, IntakeAccepted("relief", "a1", DAY))
    assert late.status == "closed" and late.accepted_by == "relief"
    with pytest.raises(DomainError, match="closed already"):
        intake.decide_close(late, outcome="answered", amount=None, today=DAY)


def test_recorded_event_matches_the_published_contract_kinds():
    from union_events.published.outreach import INTAKE_KINDS

    assert intake.INTAKE_KINDS == INTAKE_KINDS
    assert IntakeRecorded.__dataclass_fields__.keys() >= {"intake_id", "kind", "channel", "on"}
