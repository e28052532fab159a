"""A district B officer can neither read nor change district A's hardship files (headers
X-Actor-Role / X-Actor-Org stand in for tokens until the security layer lands)."""

from __future__ import annotations

from .conftest import A_OFFICER, B_OFFICER, A, file_body, open_file, standard


async def test_a_district_b_officer_cannot_read_or_change_an_a_file(api):
    await standard(api)
    file_id = (await open_file(api, income="1000.00"))["file_id"]
    attempts = [
        api.get(f"/files/{file_id}", headers=B_OFFICER),
        api.post(f"/files/{file_id}/review", json={"monthly_income": "9000.00"}, headers=B_OFFICER),
        api.post(f"/files/{file_id}/close", json={"reason": "x"}, headers=B_OFFICER),
        api.post(f"/files/{file_id}/visits", json={}, headers=B_OFFICER),
        api.get("/files", params={"district": A}, headers=B_OFFICER),
        api.post("/files", json=file_body(member_id="m2"), headers=B_OFFICER),
    ]
    for attempt in attempts:
        response = await attempt
        assert response.status_code == 403, response.text
        assert response.json()["error"]["code"] == "outside_jurisdiction"
    still = (await api.get(f"/files/{file_id}", headers=A_OFFICER)).json()
    assert (still["status"], still["card"] is not None) == ("open", True)


async def test_the_a_officer_and_the_city_admin_may(api):
    await standard(api)
    file_id = (await open_file(api))["file_id"]
    city = {"X-Actor-Role": "city_admin", "X-Actor-Org": "zhoushan"}
    clerk = {"X-Actor-Role": "clerk", "X-Actor-Org": f"{A}/center"}
    for headers in (A_OFFICER, city, clerk):
        assert (await api.get(f"/files/{file_id}", headers=headers)).status_code == 200


async def test_a_b_officer_cannot_touch_a_grants_or_set_a_standard(api):
    applied = await api.post(
        "/applications",
        json={"member_id": "m1", "district": A, "kind": "education", "amount": "7700.00"},
    )
    application_id = applied.json()["application_id"]
    for response in (
        await api.post(f"/applications/{application_id}/approve", headers=B_OFFICER),
        await api.get(f"/applications/{application_id}", headers=B_OFFICER),
        await api.post(
            "/standards",
            json={"district": A, "amount": "800.00", "effective_from": "2026-01-01"},
            headers=B_OFFICER,
        ),
    ):
        assert response.status_code == 403


async def test_a_half_named_or_unknown_actor_is_a_clear_4xx(api):
    half = await api.get("/files/x", headers={"X-Actor-Role": "district_officer"})
    unknown = await api.get("/files/x", headers={"X-Actor-Role": "king", "X-Actor-Org": A})
    for response in (half, unknown):
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "invalid_actor"
