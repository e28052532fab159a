"""Relief's "today" is the federation's (UNION_TIMEZONE, default Asia/Shanghai), not the server's
UTC date (issue 18 #12): at 00:30 on 1 December in Beijing, 16:30 UTC on 30 November, December
has begun and a visit on 1 December is not in the future."""

from __future__ import annotations

from datetime import UTC, datetime

import union_events.clock

from .conftest import open_file, standard

BEIJING_1_DECEMBER = datetime(2026, 11, 30, 16, 30, tzinfo=UTC)  # 00:30 on 1 Dec in Beijing


def federations_clock(api, monkeypatch) -> None:
    """No test clock: the runtime reads today off the (fixed) instant in UNION_TIMEZONE."""
    api._transport.app.state.runtime.extras.pop("today")
    monkeypatch.setattr(union_events.clock, "utc_now", lambda: BEIJING_1_DECEMBER)


async def test_a_months_run_is_due_once_the_month_has_begun_in_beijing(api, members, monkeypatch):
    federations_clock(api, monkeypatch)
    await standard(api)
    await open_file(api, await members.register(), income="1000.00")
    december = await api.post("/subsidy-runs", json={"month": "2026-12"})
    assert december.status_code == 200, december.text  # was 422 month_not_begun (UTC: 30 Nov)
    assert december.json()["paid"] == 1
    january = await api.post("/subsidy-runs", json={"month": "2027-01"})
    assert (january.status_code, january.json()["error"]["code"]) == (422, "month_not_begun")
    assert "today is 1 December 2026" in january.json()["error"]["message"]


async def test_a_visit_today_in_beijing_is_not_in_the_future(api, members, monkeypatch):
    federations_clock(api, monkeypatch)
    await standard(api)
    file_id = (await open_file(api, await members.register(), income="1000.00"))["file_id"]
    path = f"/files/{file_id}/visits"
    visited = await api.post(path, json={"on": "2026-12-01"})
    assert visited.status_code == 201, visited.text  # was 422 visit_in_future
    assert visited.json()["card"]["last_visit"] == "2026-12-01"
    tomorrow = await api.post(path, json={"on": "2026-12-02"})
    assert (tomorrow.status_code, tomorrow.json()["error"]["code"]) == (422, "visit_in_future")
    unnamed = await api.post(path, json={})  # a visit without a date is today's
    assert unnamed.status_code == 201 and unnamed.json()["card"]["last_visit"] == "2026-12-01"
