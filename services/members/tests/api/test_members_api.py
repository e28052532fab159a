"""Members over HTTP: one identity per person, transfers, enrolment, bad input."""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from union_events.testing.waiting import eventually

from .conftest import city, nid, plan_year, register


async def test_a_registered_member_reads_back_with_the_id_in_full_and_masked_and_a_card(api):
    await city(api)
    created = await register(api, 1)
    assert created.status_code == 201
    body = created.json()
    member = (await api.get(f"/members/{body['member_id']}")).json()
    assert member["name"] == "王小明" and member["status"] == "active"
    assert member["card_no"] == body["card_no"] and len(body["card_no"]) == 16
    assert member["district"] == "zhoushan/dinghai"
    assert member["national_id_masked"] == nid(1)[:6] + "********" + nid(1)[-4:]
    assert member["national_id"] == nid(1)  # in the caller's jurisdiction: in full
    assert nid(1) not in created.text


async def test_the_same_national_id_again_is_a_409_naming_the_existing_member(api):
    await city(api)
    first = (await register(api, 2)).json()
    again = await register(api, 2, unit="zhoushan/putuo/u1", name="someone else")
    assert again.status_code == 409
    assert again.json()["error"]["member_id"] == first["member_id"]


async def test_concurrent_registration_at_two_districts_makes_exactly_one_member(api):
    await city(api)
    attempts = [register(api, 3, unit=f"zhoushan/{d}/u1") for d in ("dinghai", "putuo") * 5]
    responses = await asyncio.gather(*attempts)
    created = [r for r in responses if r.status_code == 201]
    assert len(created) == 1
    winner = created[0].json()["member_id"]
    assert {r.status_code for r in responses if r is not created[0]} == {409}
    assert {r.json()["error"]["member_id"] for r in responses if r.status_code == 409} == {winner}


async def test_bad_input_is_a_4xx_with_a_clear_reason(api):
    await city(api)
    bad_check = nid(4)[:-1] + ("0" if nid(4)[-1] != "0" else "1")
    cases = {
        "bad check digit": {
            "national_id": bad_check,
            "name": "a",
            "phone": "13800000000",
            "unit": "zhoushan/dinghai/u1",
        },
        "missing fields": {"national_id": nid(4)},
        "wrong types": {"national_id": 330902, "name": ["a"], "phone": 1, "unit": 2},
        "unknown unit": {
            "national_id": nid(4),
            "name": "a",
            "phone": "13800000000",
            "unit": "zhoushan/dinghai/nowhere",
        },
    }
    for case, body in cases.items():
        response = await api.post("/members", json=body)
        assert response.status_code == 422, case
        assert response.json()["error"]["message"], case
    reason = (await api.post("/members", json=cases["bad check digit"])).json()["error"]
    assert reason["code"] == "invalid_national_id" and "check" in reason["message"]
    assert (await api.post("/members", json=cases["unknown unit"])).json()["error"]["code"] == (
        "unknown_unit"
    )


async def test_a_transfer_moves_the_member_between_districts_and_keeps_history(api):
    await city(api)
    member_id = (await register(api, 5)).json()["member_id"]
    moved = await api.post(f"/members/{member_id}/transfer", json={"unit": "zhoushan/putuo/u1"})
    assert moved.status_code == 200
    assert moved.json()["district"] == "zhoushan/putuo"
    assert [u for u, _ in moved.json()["units"]] == ["zhoushan/dinghai/u1", "zhoushan/putuo/u1"]
    same = await api.post(f"/members/{member_id}/transfer", json={"unit": "zhoushan/putuo/u1"})
    assert same.status_code == 422


async def test_enrolment_records_the_insuring_district_once_per_plan_year(api, nats_url):
    await city(api)
    await plan_year(api, nats_url)
    member_id = (await register(api, 6)).json()["member_id"]
    enrolled = await api.post(
        f"/members/{member_id}/enrolments", json={"plan_id": "inpatient", "year": 2026}
    )
    assert enrolled.status_code == 201
    assert enrolled.json()["insuring_district"] == "zhoushan/dinghai"
    again = await api.post(
        f"/members/{member_id}/enrolments", json={"plan_id": "inpatient", "year": 2026}
    )
    assert again.status_code == 409


async def test_a_member_who_left_cannot_be_enrolled(api, nats_url):
    await city(api)
    await plan_year(api, nats_url)
    member_id = (await register(api, 7)).json()["member_id"]
    left = await api.post(f"/members/{member_id}/leave", json={"reason": "retired"})
    assert left.json()["status"] == "left"
    refused = await api.post(
        f"/members/{member_id}/enrolments", json={"plan_id": "inpatient", "year": 2026}
    )
    assert refused.status_code == 409


async def test_reads_by_card_by_unit_and_counts_per_district(api):
    await city(api)
    ids = [(await register(api, 10 + i)).json() for i in range(3)]
    await register(api, 20, unit="zhoushan/putuo/u1")
    by_card = (await api.get(f"/members/by-card/{ids[1]['card_no']}")).json()
    assert by_card["member_id"] == ids[1]["member_id"]

    async def unit_page():
        page = await api.get("/members", params={"unit": "zhoushan/dinghai/u1", "size": 2})
        return page.json() if page.json()["total"] == 3 else None

    page = await eventually(unit_page)
    assert len(page["members"]) == 2
    one = (await api.get(f"/members/{page['members'][0]['member_id']}")).json()
    # A list shows a member as the single read does, but for the ID number in full: a roster
    # carries it masked only.
    assert page["members"][0] == one | {"national_id": None}

    async def counts():
        rows = (await api.get("/stats/districts")).json()
        return {c["district"]: c["active"] for c in rows}

    expected = {"zhoushan/dinghai": 3, "zhoushan/putuo": 1}
    assert await eventually(lambda: _equal(counts(), expected)) is True


async def _equal(awaitable, expected) -> bool:
    return await awaitable == expected


async def test_an_unknown_member_is_a_404_and_no_member_id_a_422(api):
    response = await api.get("/members/0b8a7c1e-3f7d-4a53-9c1f-2d5e8f6a7b90")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "member_not_found"
    response = await api.get("/members/nobody")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_member_id"


async def test_a_member_id_in_upper_case_is_the_same_member(api):
    await city(api)
    member_id = (await register(api, 40)).json()["member_id"]
    read = await api.get(f"/members/{member_id.upper()}")
    assert read.status_code == 200 and read.json()["member_id"] == member_id


async def test_a_refused_registration_leaves_no_data_key_behind(api):
    await city(api)
    await register(api, 30)
    refused = await register(api, 31, unit="zhoushan/dinghai/nowhere")
    duplicate = await register(api, 30)
    assert (refused.status_code, duplicate.status_code) == (422, 409)
    engine = api._transport.app.state.runtime.store.engine
    async with engine.connect() as conn:
        keys = await conn.scalar(text("SELECT count(*) FROM member_keys"))
    assert keys == 1


async def test_a_page_past_any_offset_a_database_holds_is_a_422(api):
    # The OpenAPI fuzzer (tests/fuzz) found page × size overflowing SQLite's INTEGER in outreach.
    listings = ("/members?unit=zhoushan/dinghai/u1", "/join-requests?district=zhoushan/dinghai")
    for listing in listings:
        response = await api.get(listing, params={"page": 10**17})
        assert response.status_code == 422, (listing, response.text)
        assert response.json()["error"]["code"] == "invalid_request"


async def test_text_with_a_nul_character_is_a_422_on_every_database(api):
    # PostgreSQL cannot store NUL: these were 500s there.
    await city(api)
    org = {"path": "zhoushan/dinghai/u9", "name": "工会\x00", "level": "unit"}
    for response in (
        await api.post("/orgs", json=org),
        await api.get("/members/a%00b"),
        await api.get("/members", params={"unit": "zhoushan/dinghai/u1\x00"}),
    ):
        assert response.status_code == 422, response.text
        assert response.json()["error"]["code"] == "invalid_request"
