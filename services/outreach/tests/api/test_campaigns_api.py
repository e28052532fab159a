"""Benefit campaigns over HTTP, and the concurrency rules: never past the stock, never two for
one member, whichever points hand out at the same moment (both SQL backends). Members are ones
outreach heard of from members' events (published on NATS here)."""

from __future__ import annotations

import asyncio

from union_events.published.members import MemberErased, MemberLeft, MemberRejoined
from union_events.testing.tokens import bearer
from union_events.testing.waiting import eventually

from .conftest import (
    DISTRICT,
    ROVING,
    STATION,
    TODAY,
    error,
    known_member,
    members_publish,
    register_points,
    runtime_of,
)

OTHER_DISTRICT_POINT = "zhoushan/putuo/harbour-home"


async def open_campaign(api, stock: int, **eligibility) -> None:
    body = {
        "campaign_id": "cool-2026",
        "name": "夏送清凉",
        "kind": "cooling_supplies",
        "stock": stock,
        "starts_on": "2026-10-01",
        "ends_on": "2026-10-31",
        **eligibility,
    }
    response = await api.post("/campaigns", json=body)
    assert response.status_code == 201, response.text


def hand_out(api, member_id: str, point: str = STATION, category: str = "outdoor_worker", **more):
    body = {"member_id": member_id, "point": point, "member_category": category, **more}
    return api.post("/campaigns/cool-2026/hand-outs", json=body)


async def test_one_item_per_member_and_no_more_than_the_stock(api):
    await register_points(api)
    await open_campaign(api, 2, categories=["outdoor_worker"], districts=[DISTRICT])
    m1, m2, m3 = [await known_member(api) for _ in range(3)]
    first = await hand_out(api, m1, member_district=DISTRICT)
    assert first.status_code == 201 and first.json()["remaining"] == 1
    assert first.json()["member_id"] == m1
    again = await hand_out(api, m1, point=ROVING)
    assert error(again) == (409, "already_received")
    said = again.json()["error"]
    assert (said["point"], said["point_name"], said["on"]) == (
        STATION, "pier-station", TODAY.isoformat()
    )  # fmt: skip
    assert error(await hand_out(api, m2, category="office_worker")) == (403, "not_eligible")
    assert (await hand_out(api, m2)).json()["remaining"] == 0
    assert error(await hand_out(api, m3)) == (409, "out_of_stock")
    campaign = (await api.get("/campaigns/cool-2026")).json()
    assert (campaign["stock"], campaign["handed_out"], campaign["remaining"]) == (2, 2, 0)


async def test_thirty_concurrent_hand_outs_of_ten_items_give_out_exactly_ten(api):
    await register_points(api)
    await open_campaign(api, 10)
    points = [ROVING, STATION]
    members = await asyncio.gather(*(known_member(api) for _ in range(30)))
    responses = await asyncio.gather(
        *(hand_out(api, member, points[n % 2]) for n, member in enumerate(members))
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses.count(201) == 10, [r.text for r in responses if r.status_code != 201][:3]
    assert all(error(r) == (409, "out_of_stock") for r in responses if r.status_code != 201)
    campaign = (await api.get("/campaigns/cool-2026")).json()
    assert (campaign["handed_out"], campaign["remaining"]) == (10, 0)


async def test_ten_concurrent_hand_outs_to_one_member_at_different_points_give_one(api):
    await register_points(api)
    for n in range(8):
        body = {"point": f"{DISTRICT}/stop-{n}", "name": f"stop {n}", "kind": "roving_point"}
        assert (await api.post("/points", json=body)).status_code == 201
    await open_campaign(api, 100)
    points = [ROVING, STATION] + [f"{DISTRICT}/stop-{n}" for n in range(8)]
    same = await known_member(api)
    spellings = [same, same.upper(), "{" + same + "}", same.replace("-", "")] * 3
    responses = await asyncio.gather(
        *(hand_out(api, spelt, point) for spelt, point in zip(spellings, points, strict=False))
    )
    assert sorted(r.status_code for r in responses) == [201] + [409] * 9
    assert all(error(r) == (409, "already_received") for r in responses if r.status_code != 201)
    assert (await api.get("/campaigns/cool-2026")).json()["handed_out"] == 1


async def test_bad_campaign_input_is_a_4xx_with_a_clear_message(api):
    await register_points(api)
    await open_campaign(api, 5)
    base = {"campaign_id": "c2", "name": "x", "kind": "gym_voucher", "stock": 5,
            "starts_on": "2026-10-01", "ends_on": "2026-10-31"}  # fmt: skip
    for changes, status, code in (
        ({"kind": "cash"}, 422, "invalid_campaign_kind"),
        ({"stock": 0}, 422, "invalid_request"),
        ({"ends_on": "2026-09-01"}, 422, "invalid_period"),
        ({"campaign_id": "cool-2026"}, 409, "campaign_exists"),
    ):
        assert error(await api.post("/campaigns", json=base | changes)) == (status, code)
    m1 = await known_member(api)
    assert error(await hand_out(api, m1, point=OTHER_DISTRICT_POINT)) == (404, "point_not_found")
    missing = await api.post("/campaigns/nope/hand-outs", json={"member_id": m1, "point": STATION,
                             "member_category": "x"})  # fmt: skip
    assert error(missing) == (404, "campaign_not_found")


async def test_the_same_member_in_upper_case_gets_no_second_item(api):
    # issue 18 #8: the same member id in upper case got a second item
    await register_points(api)
    await open_campaign(api, 5)
    member = await known_member(api)
    first = await hand_out(api, member.upper(), point=ROVING)
    assert first.status_code == 201, first.text
    assert first.json()["member_id"] == member  # canonical: lower case
    for spelt in (member.upper(), member, "{" + member.upper() + "}", member.replace("-", "")):
        assert error(await hand_out(api, spelt)) == (409, "already_received"), spelt
    assert (await api.get("/campaigns/cool-2026")).json()["handed_out"] == 1


async def test_a_member_nobody_registered_takes_no_stock(api):
    # issue 18 #8: a made-up id `nobody-123` took stock
    await register_points(api)
    await open_campaign(api, 1)
    made_up = await hand_out(api, "nobody-123")
    assert error(made_up) == (422, "invalid_member_id")
    assert "UUID" in made_up.json()["error"]["message"]
    never_heard = await hand_out(api, "6f1c2a4e-0b1d-4c8e-9a52-3d7e1f0a9b21")
    assert error(never_heard) == (422, "unknown_member")
    assert "has not heard of member" in never_heard.json()["error"]["message"]
    campaign = (await api.get("/campaigns/cool-2026")).json()
    assert (campaign["handed_out"], campaign["remaining"]) == (0, 1)
    assert (await hand_out(api, await known_member(api))).json()["remaining"] == 0


async def test_the_member_s_district_is_members_record_not_what_the_clerk_types(api):
    await register_points(api)
    await open_campaign(api, 5, districts=[DISTRICT])
    of_putuo = await known_member(api, "zhoushan/putuo")
    claimed = await hand_out(api, of_putuo, member_district=DISTRICT)
    assert error(claimed) == (422, "member_district_mismatch")
    assert "zhoushan/putuo" in claimed.json()["error"]["message"]
    assert error(await hand_out(api, of_putuo)) == (403, "not_eligible")


async def test_campaigns_are_listed_within_the_caller_s_jurisdiction_with_the_stock_left(api):
    await register_points(api)
    await open_campaign(api, 3)  # city-wide
    for campaign_id, district, starts in (
        ("gym-dh", DISTRICT, "2026-10-02"),
        ("gym-pt", "zhoushan/putuo", "2026-10-03"),
    ):
        body = {
            "campaign_id": campaign_id,
            "name": "健身卡",
            "kind": "gym_voucher",
            "stock": 4,
            "districts": [district],
            "starts_on": starts,
            "ends_on": "2026-10-31",
        }
        assert (await api.post("/campaigns", json=body)).status_code == 201
    await hand_out(api, await known_member(api))

    async def listed(headers=None, query=""):
        body = (await api.get(f"/campaigns{query}", headers=headers or {})).json()
        return body if body["total"] and body["items"][-1]["handed_out"] else None

    everything = await eventually(listed, message="campaigns listed")
    assert [c["campaign_id"] for c in everything["items"]] == ["gym-pt", "gym-dh", "cool-2026"]
    assert (everything["total"], everything["page"], everything["size"]) == (3, 1, 50)
    single = (await api.get("/campaigns/cool-2026")).json()
    assert everything["items"][-1] == single  # the same fields and types as the single read
    assert (single["stock"], single["handed_out"], single["remaining"]) == (3, 1, 2)
    data_dir = runtime_of(api).settings.union_data_dir
    clerk = bearer(data_dir, role="clerk", org=f"{DISTRICT}/center")
    mine = await listed(clerk)
    assert [c["campaign_id"] for c in mine["items"]] == ["gym-dh", "cool-2026"]
    paged = (await api.get("/campaigns?page=2&size=1", headers=clerk)).json()
    assert (paged["total"], [c["campaign_id"] for c in paged["items"]]) == (2, ["cool-2026"])
    other = await api.get("/campaigns?district=zhoushan/putuo", headers=clerk)
    assert error(other) == (403, "outside_jurisdiction")


async def test_a_member_who_left_or_was_erased_gets_no_item_until_they_rejoin(api):
    await register_points(api)
    await open_campaign(api, 10)
    leaves, erased = await known_member(api), await known_member(api)
    await members_publish(api, MemberLeft(member_id=leaves, unit=f"{DISTRICT}/u1", on=TODAY))
    await members_publish(api, MemberErased(member_id=erased, on=TODAY))

    async def heard(member_id: str) -> bool:  # a second fact in outreach's member stream
        return len(await runtime_of(api).store.read_stream(f"member-{member_id}")) == 2

    for member_id in (leaves, erased):
        await eventually(lambda m=member_id: heard(m), timeout=20, message="outreach heard it")
    assert error(await hand_out(api, leaves)) == (422, "member_left")
    assert error(await hand_out(api, erased)) == (422, "member_erased")
    rejoined = MemberRejoined(member_id=leaves, unit=f"{DISTRICT}/u1", district=DISTRICT, on=TODAY)
    await members_publish(api, rejoined)

    async def served() -> bool:
        return (await hand_out(api, leaves)).status_code == 201

    await eventually(served, timeout=20, message="a member again, served")
    assert (await api.get("/campaigns/cool-2026")).json()["handed_out"] == 1
