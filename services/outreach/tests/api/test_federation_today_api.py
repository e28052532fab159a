"""Outreach's "today" is the federation's (UNION_TIMEZONE, default Asia/Shanghai), not the
server's UTC date (issue 18 #12): at 00:30 on 1 December in Beijing, 16:30 UTC on 30 November,
a session of 1 December may be recorded as held, one of 2 December not yet."""

from __future__ import annotations

from datetime import UTC, datetime

import union_events.clock

from .conftest import ROVING, error, register_points, runtime_of

BEIJING_1_DECEMBER = datetime(2026, 11, 30, 16, 30, tzinfo=UTC)  # 00:30 on 1 Dec in Beijing


async def test_a_session_of_today_in_beijing_is_held_while_utc_is_still_the_day_before(
    api, monkeypatch
):
    runtime_of(api).extras.pop("today")  # no test clock: the federation's
    monkeypatch.setattr(union_events.clock, "utc_now", lambda: BEIJING_1_DECEMBER)
    await register_points(api)
    held = {}
    for on in ("2026-12-01", "2026-12-02"):
        body = {"point": ROVING, "on": on, "services": ["legal_aid"]}
        scheduled = await api.post("/sessions", json=body)
        assert scheduled.status_code == 201, scheduled.text
        session_id = scheduled.json()["session_id"]
        held[on] = await api.post(f"/sessions/{session_id}/held", json={"staff": 2})
    assert held["2026-12-01"].status_code == 200, held["2026-12-01"].text  # was session_in_future
    assert error(held["2026-12-02"]) == (422, "session_in_future")
