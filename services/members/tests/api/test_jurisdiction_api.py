"""A clerk at a service point acts for its district: register, read and look up members of the
district (2xx), not of another district (403)."""

from __future__ import annotations

from union_events.testing.tokens import bearer

from .conftest import city, nid, register

CENTER = "zhoushan/dinghai/center"


def person(n: int, unit: str) -> dict[str, str]:
    return {"national_id": nid(n), "name": "林", "phone": "13800000000", "unit": unit}


async def test_a_clerk_at_a_service_point_registers_reads_and_finds_members_of_its_district(
    api, tmp_path
):
    await city(api)
    clerk = bearer(tmp_path, "clerk", CENTER)
    created = await api.post("/members", json=person(800, "zhoushan/dinghai/u1"), headers=clerk)
    assert created.status_code == 201, created.text
    member_id = created.json()["member_id"]
    read = await api.get(f"/members/{member_id}", headers=clerk)
    assert read.status_code == 200 and read.json()["name"] == "林"
    found = await api.post("/members/lookup", json={"national_id": nid(800)}, headers=clerk)
    assert found.status_code == 200
    assert found.json()["members"][0]["personal_data"] == "shown"
    card = created.json()["card_no"]
    assert (await api.get(f"/members/by-card/{card}", headers=clerk)).status_code == 200
    listed = await api.get("/members", params={"unit": "zhoushan/dinghai/u1"}, headers=clerk)
    assert listed.status_code == 200
    requests = await api.get("/join-requests?district=zhoushan/dinghai", headers=clerk)
    assert requests.status_code == 200


async def test_a_clerk_at_a_service_point_may_not_register_or_read_another_districts_members(
    api, tmp_path
):
    await city(api)
    clerk = bearer(tmp_path, "clerk", CENTER)
    refused = await api.post("/members", json=person(801, "zhoushan/putuo/u1"), headers=clerk)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "outside_jurisdiction"
    member_id = (await register(api, 802, unit="zhoushan/putuo/u1")).json()["member_id"]
    assert (await api.get(f"/members/{member_id}", headers=clerk)).status_code == 403
    listed = await api.get("/members", params={"unit": "zhoushan/putuo/u1"}, headers=clerk)
    assert listed.status_code == 403
    moved = await api.post(
        f"/members/{member_id}/transfer", json={"unit": "zhoushan/dinghai/u1"}, headers=clerk
    )
    assert moved.status_code == 403
    requests = await api.get("/join-requests?district=zhoushan/putuo", headers=clerk)
    assert requests.status_code == 403
