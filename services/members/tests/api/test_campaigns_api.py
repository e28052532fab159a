"""QR sign-up campaigns over HTTP: bulk sign-ups, duplicates, progress against targets."""

from __future__ import annotations

from .conftest import city, nid, register


def signup(n: int, unit: str = "zhoushan/dinghai/u1") -> dict:
    return {"national_id": nid(n), "name": f"骑手{n}", "phone": "13900000000", "unit": unit}


async def open_campaign(api, campaign_id="riders-2026", daily=2, weekly=5, monthly=10):
    return await api.post(
        "/campaigns",
        json={
            "campaign_id": campaign_id,
            "district": "zhoushan/dinghai",
            "name": "外卖骑手扫码入会",
            "daily_target": daily,
            "weekly_target": weekly,
            "monthly_target": monthly,
        },
    )


async def test_a_batch_registers_new_people_and_counts_existing_ones_as_duplicates(api):
    await city(api)
    existing = (await register(api, 100)).json()["member_id"]
    assert (await open_campaign(api)).status_code == 201
    bad = signup(104) | {"national_id": "123"}
    batch = [signup(100), signup(101), signup(102), signup(101), bad, signup(103)]
    result = (await api.post("/campaigns/riders-2026/signups", json={"signups": batch})).json()
    assert result["accepted"] == 3
    assert result["duplicates"] == 2  # already a member; twice in the batch
    assert [r["index"] for r in result["rejected"]] == [4]
    assert existing not in {m["member_id"] for m in result["members"]}
    again = (await api.post("/campaigns/riders-2026/signups", json={"signups": batch[:3]})).json()
    assert (again["accepted"], again["duplicates"]) == (0, 3)


async def test_progress_is_measured_against_daily_weekly_and_monthly_targets(api):
    await city(api)
    await open_campaign(api, daily=2, weekly=5, monthly=10)
    batch = [signup(200 + i) for i in range(3)]
    await api.post("/campaigns/riders-2026/signups", json={"signups": batch})
    progress = (await api.get("/campaigns/riders-2026/progress")).json()
    assert progress["today"] == {"count": 3, "target": 2, "met": True}  # 日过百
    assert progress["this_week"] == {"count": 3, "target": 5, "met": False}  # 周过千
    assert progress["this_month"] == {"count": 3, "target": 10, "met": False}  # 月达万
    assert progress["total"] == 3


async def test_an_oversize_batch_is_refused_with_a_reason(api):
    await city(api)
    await open_campaign(api)
    api_limit = 10_000
    batch = [signup(1)] * (api_limit + 1)
    response = await api.post("/campaigns/riders-2026/signups", json={"signups": batch})
    assert response.status_code == 413
    assert "at most 10000" in response.json()["error"]["message"]


async def test_sign_ups_for_an_unknown_campaign_are_a_404(api):
    await city(api)
    response = await api.post("/campaigns/nope/signups", json={"signups": [signup(1)]})
    assert response.status_code == 404
