"""Reports: the figures per district and period, and the points that missed a month."""

from __future__ import annotations

from union_events.testing.waiting import eventually

from .conftest import DISTRICT, ROVING, STATION, error, held_session, known_member, register_points


async def test_the_district_report_counts_sessions_person_times_intakes_and_items(api):
    await register_points(api)
    m1 = await known_member(api)
    for on in ("2026-10-05", "2026-10-12"):
        session_id = await held_session(api, on=on)
        await api.post(f"/sessions/{session_id}/check-ins", json={"member_id": m1})
        await api.post(f"/sessions/{session_id}/check-ins", json={"card_no": "6200000000000001"})
        await api.post(f"/sessions/{session_id}/check-ins", json={"anonymous": 98})
    online = {"channel": "online", "district": DISTRICT, "member_id": m1}
    wages = (await api.post("/intakes", json={**online, "kind": "wage_arrears"})).json()
    await api.post(
        f"/intakes/{wages['intake_id']}/close",
        json={"outcome": "wages_recovered", "amount": "8000.50"},
    )
    await api.post("/intakes", json={**online, "kind": "legal_aid"})
    await api.post(
        "/campaigns",
        json={
            "campaign_id": "gym",
            "name": "健身卡",
            "kind": "gym_voucher",
            "stock": 5,
            "starts_on": "2026-10-01",
            "ends_on": "2026-10-31",
        },
    )
    await api.post(
        "/campaigns/gym/hand-outs",
        json={
            "member_id": m1,
            "point": STATION,
            "member_category": "any",
            "member_district": DISTRICT,
        },
    )

    async def report():
        body = (
            await api.get(f"/reports/districts?district={DISTRICT}&from=2026-10-01&to=2026-10-31")
        ).json()
        return body if body["items_handed_out"] else None

    figures = await eventually(report, message="report figures")
    assert figures["sessions_held"] == 2 and figures["person_times"] == 200
    assert (figures["member_check_ins"], figures["anonymous_check_ins"]) == (2, 198)
    assert figures["intakes_by_kind"] == {"legal_aid": 1, "wage_arrears": 1}
    assert figures["intakes_closed_by_outcome"] == {
        "wages_recovered": {"count": 1, "amount": "8000.50"}
    }
    assert figures["items_handed_out"] == {"gym": 1}
    bad = await api.get(f"/reports/districts?district={DISTRICT}&from=2026-10-31&to=2026-10-01")
    assert error(bad) == (422, "invalid_period")


async def test_the_missed_sessions_report_names_the_roving_points_without_a_held_session(api):
    await register_points(api)
    other = f"{DISTRICT}/island-town"
    await api.post("/points", json={"point": other, "name": "岛上", "kind": "roving_point"})
    await held_session(api, point=ROVING, on="2026-10-12")
    cancelled = await api.post(
        "/sessions", json={"point": other, "on": "2026-10-13", "services": ["repairs"]}
    )
    await api.post(
        f"/sessions/{cancelled.json()['session_id']}/cancel", json={"reason": "大风停航"}
    )

    async def missed():
        body = (await api.get(f"/reports/missed-sessions?month=2026-10&district={DISTRICT}")).json()
        return body if body["points"] == [other] else None

    await eventually(missed, message="missed-sessions report")
    assert error(await api.get("/reports/missed-sessions?month=2026-13")) == (
        422,
        "invalid_request",
    )


async def test_a_month_without_calendar_bounds_is_a_422_not_a_500(api):
    # Found by the OpenAPI fuzzer (tests/fuzz): year 0 and 9999-12 crashed month_bounds.
    for month in ("0000-01", "9999-12"):
        response = await api.get("/reports/missed-sessions", params={"month": month})
        assert error(response) == (422, "invalid_request")
