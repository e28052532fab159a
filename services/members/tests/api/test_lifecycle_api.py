"""Leaving is not final, erasure is: a member who left rejoins (history kept, heard by others);
an erased member is `erased` for good, and the person may register again as a new member."""

from __future__ import annotations

import nats
from union_events.testing.jetstream import stream_messages
from union_events.testing.waiting import eventually

from .conftest import city, nid, plan_year, register

ENROL = {"plan_id": "inpatient", "year": 2026}


async def test_a_member_who_left_rejoins_with_their_history_and_card(api, nats_url):
    await city(api)
    first = (await register(api, 500)).json()
    member_id = first["member_id"]
    await api.post(f"/members/{member_id}/leave", json={"reason": "changed jobs"})

    again = await register(api, 500, unit="zhoushan/putuo/u1")
    assert again.status_code == 409
    error = again.json()["error"]
    assert (error["code"], error["member_id"], error["status"]) == (
        "member_exists",
        member_id,
        "left",
    )
    assert "rejoin" in error["message"]

    back = await api.post(f"/members/{member_id}/rejoin", json={"unit": "zhoushan/putuo/u1"})
    assert back.status_code == 200, back.text
    member = back.json()
    assert (member["status"], member["district"], member["card_no"]) == (
        "active",
        "zhoushan/putuo",
        first["card_no"],
    )
    assert [u for u, _ in member["units"]] == ["zhoushan/dinghai/u1", "zhoushan/putuo/u1"]
    twice = await api.post(f"/members/{member_id}/rejoin", json={"unit": "zhoushan/putuo/u1"})
    assert (twice.status_code, twice.json()["error"]["code"]) == (409, "member_active")

    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()

        async def rejoined() -> list | None:  # this member's (the stream holds others' too)
            messages = await stream_messages(js, "MEMBERS")
            kind = b'"type":"union.members.member.rejoined.v1"'
            found = [b for _, b in messages if kind in b.replace(b" ", b"")]
            return [b for b in found if member_id.encode() in b] or None

        [body] = await eventually(rejoined)
        assert b"zhoushan/putuo/u1" in body and b"changed jobs" not in body
    finally:
        await nc.close()


async def test_an_erased_member_is_closed_for_good_and_the_person_may_register_anew(api, nats_url):
    await city(api)
    await plan_year(api, nats_url)
    member_id = (await register(api, 501)).json()["member_id"]
    erased = await api.delete(f"/members/{member_id}/personal-data")
    assert erased.json()["status"] == "erased"
    assert erased.json()["personal_data"] == "erased"

    refused = {
        "enrol": await api.post(f"/members/{member_id}/enrolments", json=ENROL),
        "transfer": await api.post(
            f"/members/{member_id}/transfer", json={"unit": "zhoushan/putuo/u1"}
        ),
        "leave": await api.post(f"/members/{member_id}/leave", json={"reason": "x"}),
        "rejoin": await api.post(
            f"/members/{member_id}/rejoin", json={"unit": "zhoushan/putuo/u1"}
        ),
    }
    for what, response in refused.items():
        assert response.status_code == 409, what
        assert response.json()["error"]["code"] == "member_erased", what
    assert (await api.post("/members/lookup", json={"national_id": nid(501)})).json() == {
        "total": 0,
        "members": [],
    }

    anew = await register(api, 501, unit="zhoushan/putuo/u1", name="王小明")
    assert anew.status_code == 201, anew.text
    assert anew.json()["member_id"] != member_id
    found = (await api.post("/members/lookup", json={"national_id": nid(501)})).json()
    assert [m["member_id"] for m in found["members"]] == [anew.json()["member_id"]]
    assert (await register(api, 501)).json()["error"]["member_id"] == anew.json()["member_id"]
    assert (await api.get(f"/members/{member_id}")).json()["status"] == "erased"


async def test_a_member_who_left_and_was_erased_cannot_rejoin_but_registers_anew(api):
    await city(api)
    member_id = (await register(api, 502)).json()["member_id"]
    await api.post(f"/members/{member_id}/leave", json={"reason": "moved away"})
    await api.delete(f"/members/{member_id}/personal-data")
    rejoin = await api.post(f"/members/{member_id}/rejoin", json={"unit": "zhoushan/dinghai/u1"})
    assert rejoin.json()["error"]["code"] == "member_erased"
    assert (await register(api, 502)).status_code == 201


async def test_counts_per_district_show_erased_members_apart(api):
    await city(api)
    ids = [(await register(api, 510 + i)).json()["member_id"] for i in range(3)]
    await api.post(f"/members/{ids[0]}/leave", json={"reason": "retired"})
    await api.delete(f"/members/{ids[1]}/personal-data")

    async def counts():
        rows = (await api.get("/stats/districts")).json()
        row = next((r for r in rows if r["district"] == "zhoushan/dinghai"), None)
        return row if row and row["erased"] == 1 and row["left"] == 1 else None

    assert await eventually(counts) == {
        "district": "zhoushan/dinghai",
        "active": 1,
        "left": 1,
        "erased": 1,
    }
