"""A district B officer can neither read nor change district A's hardship files; the caller
is the bearer token's principal (role and jurisdiction)."""

from __future__ import annotations

from union_events.testing.tokens import bearer

from .conftest import A, file_body, open_file, standard


async def test_a_district_b_officer_cannot_read_or_change_an_a_file(
    api, members, a_officer, b_officer
):
    await standard(api)
    file_id = (await open_file(api, await members.register(), income="1000.00"))["file_id"]
    attempts = [
        api.get(f"/files/{file_id}", headers=b_officer),
        api.post(f"/files/{file_id}/review", json={"monthly_income": "9000.00"}, headers=b_officer),
        api.post(f"/files/{file_id}/close", json={"reason": "x"}, headers=b_officer),
        api.post(f"/files/{file_id}/visits", json={}, headers=b_officer),
        api.get("/files", params={"district": A}, headers=b_officer),
        api.post("/files", json=file_body(await members.register()), headers=b_officer),
    ]
    for attempt in attempts:
        response = await attempt
        assert response.status_code == 403, response.text
        assert response.json()["error"]["code"] == "outside_jurisdiction"
    still = (await api.get(f"/files/{file_id}", headers=a_officer)).json()
    assert (still["status"], still["card"] is not None) == ("open", True)


async def test_the_a_officer_and_the_city_admin_may(api, members, a_officer, tmp_path):
    await standard(api)
    file_id = (await open_file(api, await members.register()))["file_id"]
    city = bearer(tmp_path, "city_admin", "zhoushan")
    clerk = bearer(tmp_path, "clerk", f"{A}/center")
    for headers in (a_officer, city, clerk):
        assert (await api.get(f"/files/{file_id}", headers=headers)).status_code == 200


async def test_a_b_officer_cannot_touch_a_grants_or_set_a_standard(api, members, b_officer):
    member = await members.register()
    applied = await api.post(
        "/applications",
        json={"member_id": member, "district": A, "kind": "education", "amount": "7700.00"},
    )
    application_id = applied.json()["application_id"]
    for response in (
        await api.post(f"/applications/{application_id}/approve", headers=b_officer),
        await api.get(f"/applications/{application_id}", headers=b_officer),
        await api.post(
            "/standards",
            json={"district": A, "amount": "800.00", "effective_from": "2026-01-01"},
            headers=b_officer,
        ),
    ):
        assert response.status_code == 403


async def test_a_member_or_another_system_cannot_read_hardship_files(api, members, tmp_path):
    await standard(api)
    file_id = (await open_file(api, await members.register()))["file_id"]
    for role, org in (("member", f"{A}/u1"), ("service", "zhoushan")):
        response = await api.get(f"/files/{file_id}", headers=bearer(tmp_path, role, org))
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden_role"


async def test_without_a_valid_token_it_is_a_401(api):
    missing = await api.get("/files/x", headers={"Authorization": ""})
    garbage = await api.get("/files/x", headers={"Authorization": "Bearer not-a-jwt"})
    assert (missing.status_code, missing.json()["error"]["code"]) == (401, "unauthenticated")
    assert (garbage.status_code, garbage.json()["error"]["code"]) == (401, "invalid_token")
