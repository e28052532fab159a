"""Benefit campaigns over HTTP, and the concurrency rules: never past the stock, never two for
one member, whichever points hand out at the same moment (both SQL backends)."""

from __future__ import annotations

import asyncio

from .conftest import DISTRICT, ROVING, STATION, error, register_points

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


def hand_out(api, member_id: str, point: str = STATION, category: str = "outdoor_worker"):
    body = {
        "member_id": member_id,
        "point": point,
        "member_category": category,
        "member_district": DISTRICT,
    }
    return api.post("/campaigns/cool-2026/hand-outs", json=body)


async def test_one_item_per_member_and_no_more_than_the_stock(api):
    await register_points(api)
    await open_campaign(api, 2, categories=["outdoor_worker"], districts=[DISTRICT])
    first = await hand_out(api, "m1")
    assert first.status_code == 201 and first.json()["remaining"] == 1
    assert error(await hand_out(api, "m1", point=ROVING)) == (409, "already_received")
    assert error(await hand_out(api, "m2", category="office_worker")) == (403, "not_eligible")
    assert (await hand_out(api, "m2")).json()["remaining"] == 0
    assert error(await hand_out(api, "m3")) == (409, "out_of_stock")
    campaign = (await api.get("/campaigns/cool-2026")).json()
    assert (campaign["stock"], campaign["handed_out"], campaign["remaining"]) == (2, 2, 0)


async def test_thirty_concurrent_hand_outs_of_ten_items_give_out_exactly_ten(api):
    await register_points(api)
    await open_campaign(api, 10)
    points = [ROVING, STATION]
    responses = await asyncio.gather(*(hand_out(api, f"m{n}", points[n % 2]) for n in range(30)))
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
    responses = await asyncio.gather(*(hand_out(api, "m-same", point) for point in points))
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
    assert error(await hand_out(api, "m1", point=OTHER_DISTRICT_POINT)) == (404, "point_not_found")
    missing = await api.post("/campaigns/nope/hand-outs", json={"member_id": "m1", "point": STATION,
                             "member_category": "x", "member_district": DISTRICT})  # fmt: skip
    assert error(missing) == (404, "campaign_not_found")
