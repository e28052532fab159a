"""The members report per district and period: active at its end, joined, left, moved, enrolled
per plan year (its own read model, `member_movements_view`), within the caller's jurisdiction."""

from __future__ import annotations

from union_events.testing.tokens import bearer
from union_events.testing.waiting import eventually

from .conftest import city, plan_year, register

DINGHAI, PUTUO = "zhoushan/dinghai", "zhoushan/putuo"
NOVEMBER = {"from": "2026-11-01", "to": "2026-11-30"}


async def test_the_members_report_counts_joined_left_moved_and_enrolled_per_district(
    api, nats_url, tmp_path
):
    await city(api)
    await plan_year(api, nats_url, 2026)
    ids = [(await register(api, 700 + i)).json()["member_id"] for i in range(4)]
    await register(api, 710, unit="zhoushan/putuo/u1")
    await api.post(f"/members/{ids[0]}/leave", json={"reason": "retired"})
    moved = await api.post(f"/members/{ids[1]}/transfer", json={"unit": "zhoushan/putuo/u1"})
    assert moved.status_code == 200, moved.text
    enrolled = await api.post(
        f"/members/{ids[2]}/enrolments", json={"plan_id": "inpatient", "year": 2026}
    )
    assert enrolled.status_code == 201, enrolled.text
    erased = await api.delete(f"/members/{ids[3]}/personal-data")  # ends the membership too
    assert erased.status_code == 200, erased.text

    async def report():
        """The report once the read model has followed the log to the erasure (the last
        command: Dinghai's active count drops to 1 with it)."""
        rows = (await api.get("/reports/districts", params=NOVEMBER)).json()
        dinghai = {r["district"]: r for r in rows}.get(DINGHAI, {})
        caught_up = dinghai.get("enrolled") and dinghai.get("active") == 1 and len(rows) == 2
        return rows if caught_up else None

    rows = await eventually(report)
    assert rows == [
        {"district": DINGHAI, "active": 1, "joined": 4, "left": 1, "moved_in": 0,
         "moved_out": 1, "enrolled": {"2026": 1}},
        {"district": PUTUO, "active": 2, "joined": 1, "left": 0, "moved_in": 1,
         "moved_out": 0, "enrolled": {}},
    ]  # fmt: skip
    december = (
        await api.get("/reports/districts", params={"from": "2026-12-01", "to": "2026-12-31"})
    ).json()
    assert [(r["active"], r["joined"]) for r in december] == [(1, 0), (2, 0)]
    october = (
        await api.get("/reports/districts", params={"from": "2026-10-01", "to": "2026-10-31"})
    ).json()
    assert october == []  # no district had members yet
    officer = bearer(tmp_path, "district_officer", PUTUO)
    mine = (await api.get("/reports/districts", params=NOVEMBER, headers=officer)).json()
    assert [r["district"] for r in mine] == [PUTUO]
    other = await api.get(
        "/reports/districts", params=NOVEMBER | {"district": DINGHAI}, headers=officer
    )
    assert other.status_code == 403
    bad = await api.get("/reports/districts", params={"from": "2026-06-01", "to": "2026-05-01"})
    assert (bad.status_code, bad.json()["error"]["code"]) == (422, "invalid_period")
