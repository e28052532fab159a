"""Staff at a service point act for its district (the one policy, `Principal.scope`); lists and
reports default to the caller's own jurisdiction; a list shows each thing with the same fields
and types as its single read; check-ins say how they counted."""

from __future__ import annotations

from union_events.testing.tokens import bearer
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

PUTUO = "zhoushan/putuo"
PUTUO_POINT = f"{PUTUO}/harbour-home"


def staff(api, role: str = "clerk", org: str = f"{DISTRICT}/center") -> dict[str, str]:
    return bearer(runtime_of(api).settings.union_data_dir, role=role, org=org)


async def listed(api, url: str, total: int, headers=None):
    body = (await api.get(url, headers=headers or {})).json()
    return body if body.get("total") == total else None


async def test_a_clerk_at_a_service_point_serves_its_district_s_points_and_sessions(api):
    # issue 18 #13: a clerk at zhoushan/dinghai/center was refused its district's points
    await register_points(api)
    putuo = {"point": PUTUO_POINT, "name": "港湾之家", "kind": "roving_point"}
    assert (await api.post("/points", json=putuo)).status_code == 201
    clerk = staff(api)
    assert (await api.get(f"/points/{ROVING}", headers=clerk)).status_code == 200
    body = {"point": ROVING, "on": "2026-10-12", "services": ["legal_aid"]}
    scheduled = await api.post("/sessions", json=body, headers=clerk)
    assert scheduled.status_code == 201, scheduled.text
    session_id = scheduled.json()["session_id"]
    held = await api.post(f"/sessions/{session_id}/held", json={"staff": 2}, headers=clerk)
    assert held.status_code == 200, held.text
    check_in = await api.post(f"/sessions/{session_id}/check-ins", json={"anonymous": 4},
                              headers=clerk)  # fmt: skip
    assert check_in.status_code == 201
    assert (await api.get(f"/sessions/{session_id}", headers=clerk)).status_code == 200
    for url in (f"/points?district={DISTRICT}", "/points"):
        assert await eventually(lambda url=url: listed(api, url, 2, clerk), message=url)
    sessions = f"/sessions?district={DISTRICT}&from=2026-10-01&to=2026-10-31"
    assert await eventually(lambda: listed(api, sessions, 1, clerk), message="sessions")

    # ... and nothing of zhoushan/putuo
    assert error(await api.get(f"/points/{PUTUO_POINT}", headers=clerk)) == (
        403,
        "outside_jurisdiction",
    )
    elsewhere = {"point": PUTUO_POINT, "on": "2026-10-12", "services": ["legal_aid"]}
    assert error(await api.post("/sessions", json=elsewhere, headers=clerk)) == (
        403,
        "outside_jurisdiction",
    )
    period = "from=2026-10-01&to=2026-10-31"
    for url in (f"/points?district={PUTUO}", f"/sessions?district={PUTUO}&{period}",
                f"/intakes?district={PUTUO}", f"/campaigns?district={PUTUO}"):  # fmt: skip
        assert error(await api.get(url, headers=clerk)) == (403, "outside_jurisdiction"), url
    putuo_session = (await api.post("/sessions", json=elsewhere)).json()["session_id"]
    cancel = await api.post(f"/sessions/{putuo_session}/cancel", json={"reason": "台风"},
                            headers=clerk)  # fmt: skip
    assert error(cancel) == (403, "outside_jurisdiction")


async def test_a_district_officer_reads_their_own_district_s_report_without_naming_it(api):
    await register_points(api)
    session_id = await held_session(api)
    await api.post(f"/sessions/{session_id}/check-ins", json={"anonymous": 7})
    officer = staff(api, "district_officer", DISTRICT)

    async def report():
        answer = await api.get("/reports/districts?from=2026-10-01&to=2026-10-31", headers=officer)
        body = answer.json()
        return body if body.get("person_times") == 7 else None

    figures = await eventually(report, message="the officer's report")
    assert figures["district"] == DISTRICT and figures["sessions_held"] == 1
    missed = (await api.get("/reports/missed-sessions?month=2026-11", headers=officer)).json()
    assert (missed["district"], missed["points"]) == (DISTRICT, [ROVING])
    other = await api.get(f"/reports/districts?district={PUTUO}&from=2026-10-01&to=2026-10-31",
                          headers=officer)  # fmt: skip
    assert error(other) == (403, "outside_jurisdiction")
    at_point = staff(api, "district_officer", f"{DISTRICT}/center")  # acts for its district
    answer = await api.get("/reports/districts?from=2026-10-01&to=2026-10-31", headers=at_point)
    assert answer.json()["district"] == DISTRICT


async def test_a_period_whose_from_is_after_its_to_is_a_422_in_words(api):
    for url in (
        f"/sessions?district={DISTRICT}&from=2026-10-31&to=2026-10-01",
        f"/reports/districts?district={DISTRICT}&from=2026-10-31&to=2026-10-01",
    ):
        response = await api.get(url)
        assert error(response) == (422, "invalid_period"), url
        message = response.json()["error"]["message"]
        assert message == (
            "the period ends before it begins: 'from' 2026-10-31 is after 'to' 2026-10-01"
        )


async def test_lists_show_points_sessions_and_intakes_as_their_single_reads_do(api):
    # issue 18 #20: `services` a string in the list, `members` vs `member_check_ins`,
    # amenities "" vs []
    await register_points(api)
    session_id = await held_session(api)
    member = await known_member(api)
    await api.post(f"/sessions/{session_id}/check-ins", json={"member_id": member})
    await api.post(f"/sessions/{session_id}/check-ins", json={"anonymous": 5})
    body = {"kind": "hardship", "channel": "station", "place": STATION, "member_id": member}
    intake_id = (await api.post("/intakes", json=body)).json()["intake_id"]

    async def sessions_counted():
        url = f"/sessions?district={DISTRICT}&from=2026-10-01&to=2026-10-31"
        page = (await api.get(url)).json()
        return page if page["total"] == 1 and page["items"][0]["person_times"] == 6 else None

    [session_row] = (await eventually(sessions_counted, message="sessions listed"))["items"]
    assert session_row == (await api.get(f"/sessions/{session_id}")).json()
    assert session_row["services"] == ["legal_aid", "haircuts"]
    assert (session_row["member_check_ins"], session_row["anonymous_check_ins"]) == (1, 5)

    points = await eventually(lambda: listed(api, "/points", 2), message="points listed")
    for row in points["items"]:
        assert row == (await api.get(f"/points/{row['point']}")).json()
    roving = next(row for row in points["items"] if row["point"] == ROVING)
    assert roving["amenities"] == [] and roving["hours"] == ["mon 08:00-18:00", "sat 09:00-12:00"]

    intakes = await eventually(lambda: listed(api, "/intakes", 1), message="intakes listed")
    assert intakes["items"] == [(await api.get(f"/intakes/{intake_id}")).json()]
    assert intakes["items"][0]["routed_to"] == "relief"


async def test_a_check_in_says_whether_it_counted_as_a_member_s_or_anonymously(api):
    # issue 18 #8: a check-in with an unknown card counted as a member's
    await register_points(api)
    session_id = await held_session(api)
    url = f"/sessions/{session_id}/check-ins"
    member = await known_member(api)
    by_member = await api.post(url, json={"member_id": member.upper()})
    assert by_member.status_code == 201, by_member.text
    assert by_member.json()["counted_as"] == "member"
    assert error(await api.post(url, json={"member_id": member})) == (409, "already_checked_in")
    made_up = await api.post(url, json={"card_no": "6299999999999999"})
    assert made_up.status_code == 201 and made_up.json()["counted_as"] == "anonymous"
    assert error(await api.post(url, json={"card_no": "6299999999999999"})) == (
        409,
        "already_checked_in",
    )
    unknown = await api.post(url, json={"member_id": "6f1c2a4e-0b1d-4c8e-9a52-3d7e1f0a9b21"})
    assert error(unknown) == (422, "unknown_member")
    assert error(await api.post(url, json={"member_id": "nobody-123"})) == (
        422,
        "invalid_member_id",
    )
    both = await api.post(url, json={"member_id": member, "card_no": "6200000000000001"})
    assert error(both) == (422, "invalid_check_in")
    counts = (await api.get(f"/sessions/{session_id}")).json()
    assert (counts["member_check_ins"], counts["anonymous_check_ins"]) == (1, 1)
    bad_card = await api.post(url, json={"card_no": "12ab"})
    assert error(bad_card) == (422, "invalid_request")
    assert "16 digits" in bad_card.json()["error"]["message"]
    assert "\\d" not in bad_card.json()["error"]["message"]  # words, not a regular expression
