"""Join requests from outreach's enrolment intakes: once per intake, enrolment only."""

from __future__ import annotations

from datetime import date

from members.domain import join_requests
from members.public import public_view
from union_events.published.members import JoinRequestReceived, registry

DAY = date(2026, 10, 20)
INTAKE = {
    "intake_id": "i1",
    "district": "zhoushan/dinghai",
    "place": "zhoushan/dinghai/ferry-square",
    "member_id": None,
    "on": DAY,
}


def test_an_enrolment_intake_becomes_one_join_request_with_a_stable_id():
    [received] = join_requests.decide_receive(False, kind="union_enrolment", **INTAKE)
    assert received.request_id == join_requests.request_id_for("i1")
    assert received.district == "zhoushan/dinghai"


def test_a_second_hearing_or_another_kind_asks_nothing():
    assert join_requests.decide_receive(True, kind="union_enrolment", **INTAKE) == []
    assert join_requests.decide_receive(False, kind="hardship", **INTAKE) == []


def test_the_join_request_is_published_as_the_contract_without_place_or_member():
    [received] = join_requests.decide_receive(False, kind="union_enrolment", **INTAKE)
    event_type, data = join_requests.encode(received)
    shown = public_view("join-request-i1", event_type, data)
    assert shown is not None
    public_type, public = shown
    payload = registry.parse(public_type, public)
    assert isinstance(payload, JoinRequestReceived)
    assert set(public) == {"request_id", "intake_id", "district", "on"}
    assert join_requests.decode(event_type, data) == received
