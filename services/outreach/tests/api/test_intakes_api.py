"""Intake over HTTP: recorded at a session, a station or online; followed; closed."""

from __future__ import annotations

from outreach.app.aggregates import intake_stream
from union_events.testing.waiting import eventually

from .conftest import (
    DISTRICT,
    ROVING,
    STATION,
    error,
    held_session,
    known_member,
    register_points,
    runtime_of,
)

CARD = "6200000000000001"


async def test_a_wage_arrears_intake_is_followed_and_closed_with_the_amount(api):
    await register_points(api)
    session_id = await held_session(api)
    created = await api.post(
        "/intakes",
        json={
            "kind": "wage_arrears",
            "channel": "session",
            "session_id": session_id,
            "card_no": CARD,
        },
    )
    assert created.status_code == 201, created.text
    intake = created.json()
    assert intake["status"] == "recorded" and intake["district"] == DISTRICT
    closed = await api.post(
        f"/intakes/{intake['intake_id']}/close",
        json={"outcome": "wages_recovered", "amount": "12000"},
    )
    assert closed.json()["status"] == "closed" and closed.json()["amount"] == "12000.00"
    followed = (await api.get(f"/intakes/{intake['intake_id']}")).json()
    assert followed["outcome"] == "wages_recovered"
    twice = await api.post(f"/intakes/{intake['intake_id']}/close", json={"outcome": "answered"})
    assert error(twice) == (409, "intake_closed")


async def test_hardship_and_enrolment_intakes_are_routed(api):
    await register_points(api)
    member = await known_member(api)
    for kind, to in (("hardship", "relief"), ("union_enrolment", "members")):
        created = await api.post(
            "/intakes",
            json={"kind": kind, "channel": "station", "place": STATION, "member_id": member},
        )
        assert created.json()["status"] == "routed" and created.json()["routed_to"] == to


async def test_an_intake_names_a_member_outreach_knows_by_the_canonical_id(api):
    # issue 18 #8: member ids are canonical; outreach refuses members it has not heard of
    await register_points(api)
    member = await known_member(api)
    body = {"kind": "legal_aid", "channel": "station", "place": STATION}
    created = await api.post("/intakes", json=body | {"member_id": "{" + member.upper() + "}"})
    assert created.status_code == 201, created.text
    stream = intake_stream(created.json()["intake_id"])
    [recorded] = await runtime_of(api).store.read_stream(stream)
    assert recorded.data["member_id"] == member  # what relief hears: the canonical id
    never_heard = {"member_id": "6f1c2a4e-0b1d-4c8e-9a52-3d7e1f0a9b21"}
    assert error(await api.post("/intakes", json=body | never_heard)) == (422, "unknown_member")
    made_up = await api.post("/intakes", json=body | {"member_id": "nobody-123"})
    assert error(made_up) == (422, "invalid_member_id")


async def test_intakes_are_listed_for_the_district(api):
    await register_points(api)
    for _ in range(3):
        body = {
            "kind": "legal_aid",
            "channel": "online",
            "district": DISTRICT,
            "summary": "工伤认定咨询",
        }
        assert (await api.post("/intakes", json=body)).status_code == 201
    listed = await eventually(lambda: _total(api, 3), message="intakes listed")
    assert {i["kind"] for i in listed["items"]} == {"legal_aid"}


async def test_bad_intake_input_is_a_4xx_with_a_clear_message(api):
    await register_points(api)
    m1 = await known_member(api)
    online = {"channel": "online", "district": DISTRICT}
    cases = [
        ({**online, "kind": "gossip", "member_id": m1}, 422, "invalid_intake_kind"),
        ({**online, "kind": "other"}, 422, "summary_required"),
        ({**online, "kind": "other", "summary": "回电13812345678"}, 422, "personal_data_in_text"),
        ({**online, "kind": "other", "card_no": CARD}, 422, "card_not_allowed"),
        ({"kind": "other", "channel": "station", "member_id": m1}, 422, "place_required"),
        (
            {"kind": "other", "channel": "session", "session_id": "x", "member_id": m1},
            422,
            "session_not_held",
        ),
        ({**online, "kind": "other", "member_id": m1, "name": "王小明"}, 422, "invalid_request"),
        ({**online, "kind": "other", "member_id": m1, "card_no": "123"}, 422, "invalid_request"),
        ({**online, "kind": "other", "member_id": "m1"}, 422, "invalid_member_id"),
        ({**online, "kind": "other", "member_id": "6f1c2a4e-0b1d-4c8e-9a52-3d7e1f0a9b21"}, 422,
         "unknown_member"),
    ]  # fmt: skip
    for body, status, code in cases:
        response = await api.post("/intakes", json=body)
        assert error(response) == (status, code), response.text
    created = await api.post("/intakes", json={**online, "kind": "other", "member_id": m1})
    intake_id = created.json()["intake_id"]
    for body, code in (
        ({"outcome": "answered", "amount": 5.5}, "invalid_request"),  # a float is no money
        ({"outcome": "answered", "amount": "1.234"}, "invalid_request"),
        ({"outcome": "answered", "amount": "5.00"}, "amount_not_allowed"),
        ({"outcome": "solved"}, "invalid_outcome"),
    ):
        assert error(await api.post(f"/intakes/{intake_id}/close", json=body)) == (422, code)
    assert error(await api.get("/intakes/nope")) == (404, "intake_not_found")
    assert error(await api.get("/intakes?district=Dinghai")) == (422, "invalid_org_path")
    assert ROVING  # the roving point exists for session intakes above


async def _total(api, total: int):
    body = (await api.get(f"/intakes?district={DISTRICT}")).json()
    return body if body["total"] == total else None


async def test_a_value_outside_a_closed_list_is_refused_in_words_with_its_own_code(api):
    """The request schemas take the lists from the vocabularies (enums in OpenAPI); a value
    outside one answers `invalid_<what>` with the list, not pydantic's wording."""
    m1 = await known_member(api)
    online = {"channel": "online", "district": DISTRICT, "kind": "other", "member_id": m1}
    gossip = await api.post("/intakes", json={**online, "kind": "gossip"})
    assert error(gossip) == (422, "invalid_intake_kind")
    message = gossip.json()["error"]["message"]
    assert "unknown intake_kind 'gossip'; it is one of wage_arrears" in message, message
    assert error(await api.post("/intakes", json={**online, "channel": "fax"})) == (
        422,
        "invalid_channel",
    )
    # two problems, one of them not a closed list: the request's general code, both named
    both = await api.post("/intakes", json={**online, "kind": "gossip", "colour": "red"})
    assert error(both) == (422, "invalid_request")
    assert {f["field"] for f in both.json()["error"]["fields"]} == {"kind", "colour"}
    # a value is read as the domain reads it: surrounding spaces dropped
    spaced = await api.post("/intakes", json={**online, "kind": " legal_aid ", "summary": "x"})
    assert spaced.status_code == 201 and spaced.json()["kind"] == "legal_aid", spaced.text
    assert error(await api.get("/intakes?status=lost")) == (422, "invalid_intake_status")
    assert (await api.get("/intakes?status=closed")).status_code == 200
    assert error(await api.get("/points?kind=kiosk")) == (422, "invalid_point_kind")
