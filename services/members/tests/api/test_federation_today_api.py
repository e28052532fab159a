"""Members' "today" is the federation's (UNION_TIMEZONE, default Asia/Shanghai), not the
server's UTC date (issue 18 #12): at 00:30 on 1 December in Beijing, 16:30 UTC on 30 November,
a person born on 1 December 2010 is sixteen and may register, and joins on 1 December."""

from __future__ import annotations

from datetime import UTC, date, datetime

import union_events.clock

from .conftest import city, nid

BEIJING_1_DECEMBER = datetime(2026, 11, 30, 16, 30, tzinfo=UTC)  # 00:30 on 1 Dec in Beijing


def body(national_id: str) -> dict[str, str]:
    return {"national_id": national_id, "name": "小明", "phone": "13800000000",
            "unit": "zhoushan/dinghai/u1"}  # fmt: skip


async def test_a_person_sixteen_today_in_beijing_registers_while_utc_is_still_the_day_before(
    api, monkeypatch
):
    api._transport.app.state.runtime.extras.pop("today")  # no test clock: the federation's
    monkeypatch.setattr(union_events.clock, "utc_now", lambda: BEIJING_1_DECEMBER)
    await city(api)
    sixteen = await api.post("/members", json=body(nid(650, born=date(2010, 12, 1))))
    assert sixteen.status_code == 201, sixteen.text  # was 422 under_working_age (UTC: 30 Nov)
    member = (await api.get(f"/members/{sixteen.json()['member_id']}")).json()
    assert member["joined_on"] == "2026-12-01"
    tomorrow = await api.post("/members", json=body(nid(651, born=date(2010, 12, 2))))
    assert (tomorrow.status_code, tomorrow.json()["error"]["code"]) == (422, "under_working_age")
