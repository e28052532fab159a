"""Service points and roving sessions over HTTP: the rules, and bad input with clear 4xx."""

from __future__ import annotations

from union_events.testing.waiting import eventually

from .conftest import DISTRICT, ROVING, STATION, error, held_session, register_points


async def test_points_are_registered_listed_and_closed(api):
    await register_points(api)
    station = (await api.get(f"/points/{STATION}")).json()
    assert station["kind"] == "station" and "wifi" in station["amenities"]
    assert station["hours"] == ["mon 08:00-18:00", "sat 09:00-12:00"] and station["open"]

    listed = await eventually(
        lambda: _listed(api, f"/points?district={DISTRICT}", 2), message="points listed"
    )
    assert [p["point"] for p in listed["items"]] == [ROVING, STATION]
    closed = await api.put(f"/points/{ROVING}/status", json={"open": False, "reason": "修缮"})
    assert closed.json()["open"] is False
    refused = await api.post(
        "/sessions", json={"point": ROVING, "on": "2026-10-25", "services": ["repairs"]}
    )
    assert error(refused) == (422, "point_closed")


async def test_bad_point_input_is_a_4xx_with_a_clear_message(api):
    await register_points(api)
    x = {"point": f"{DISTRICT}/x", "name": "x", "kind": "station"}
    cases = [
        ({"point": "Dinghai", "name": "x", "kind": "station"}, 422, "invalid_org_path"),
        ({"point": f"{DISTRICT}/x", "name": "x", "kind": "kiosk"}, 422, "invalid_point_kind"),
        (x | {"amenities": ["sauna"]}, 422, "invalid_amenity"),
        (x | {"hours": {"mon": "18:00-08:00"}}, 422, "invalid_hours"),
        (x | {"colour": "red"}, 422, "invalid_request"),
        ({"point": ROVING, "name": "again", "kind": "roving_point"}, 409, "point_exists"),
    ]
    for body, status, code in cases:
        response = await api.post("/points", json=body)
        assert error(response) == (status, code), response.text
        assert response.json()["error"]["message"]
    hours = await api.post(
        "/points",
        json={"point": f"{DISTRICT}/x", "name": "x", "kind": "station", "hours": {"mon": "8-18"}},
    )
    assert "08:00-18:00" in hours.json()["error"]["message"]
    assert error(await api.get(f"/points/{DISTRICT}/nowhere")) == (404, "point_not_found")


async def test_a_session_is_held_with_check_ins_by_card_and_anonymous(api):
    await register_points(api)
    session_id = await held_session(api)
    card = await api.post(f"/sessions/{session_id}/check-ins", json={"card_no": "6200000000000001"})
    assert card.status_code == 201
    again = await api.post(
        f"/sessions/{session_id}/check-ins", json={"card_no": "6200000000000001"}
    )
    assert error(again) == (409, "already_checked_in")
    crowd = await api.post(f"/sessions/{session_id}/check-ins", json={"anonymous": 57})
    assert crowd.json()["person_times"] == 58 and crowd.json()["staff"] == 3
    bad = await api.post(f"/sessions/{session_id}/check-ins", json={"card_no": "12ab"})
    assert error(bad) == (422, "invalid_request") and "card_no" in bad.json()["error"]["message"]


async def test_sessions_are_held_or_cancelled_once(api):
    await register_points(api)
    scheduled = await api.post(
        "/sessions", json={"point": ROVING, "on": "2026-10-30", "services": ["free_clinic"]}
    )
    session_id = scheduled.json()["session_id"]
    early = await api.post(f"/sessions/{session_id}/held", json={"staff": 2})
    assert error(early) == (422, "session_in_future")
    no_staff = await api.post(f"/sessions/{session_id}/held", json={"staff": 0})
    assert error(no_staff) == (422, "invalid_request")
    assert (await api.post(f"/sessions/{session_id}/cancel", json={"reason": "台风"})).json()[
        "status"
    ] == "cancelled"
    again = await api.post(f"/sessions/{session_id}/cancel", json={"reason": "台风"})
    assert error(again) == (409, "session_cancelled")
    check_in = await api.post(f"/sessions/{session_id}/check-ins", json={"anonymous": 3})
    assert error(check_in) == (409, "session_not_held")
    bad_service = await api.post(
        "/sessions", json={"point": ROVING, "on": "2026-10-30", "services": ["massage"]}
    )
    assert error(bad_service) == (422, "invalid_service")
    assert error(await api.get("/sessions/nope")) == (404, "session_not_found")


async def _listed(api, url: str, total: int):
    body = (await api.get(url)).json()
    return body if body["total"] == total else None


async def test_a_page_past_any_offset_a_database_holds_is_a_422(api):
    # Found by the OpenAPI fuzzer (tests/fuzz): page × size overflowed SQLite's INTEGER (500).
    for listing in ("/sessions", "/points", "/intakes"):
        response = await api.get(listing, params={"district": DISTRICT, "page": 10**17})
        assert error(response) == (422, "invalid_request"), listing
