"""QR sign-up campaigns read back: the district's list, one campaign, the people who signed up
(ID numbers and phones masked), from the campaign read models."""

from __future__ import annotations

from union_events.testing.tokens import bearer
from union_events.testing.waiting import eventually

from .conftest import city, nid
from .test_campaigns_api import open_campaign, signup

OFFICER = "zhoushan/dinghai"


async def listed(api, headers=None, **params):
    return await api.get("/campaigns", params=params, headers=headers)


async def test_a_district_lists_its_campaigns_and_reads_one(api, tmp_path):
    await city(api)
    assert (await open_campaign(api, "riders-2026")).status_code == 201
    assert (await open_campaign(api, "couriers-2026")).status_code == 201
    batch = [signup(300 + i) for i in range(3)]
    await api.post("/campaigns/riders-2026/signups", json={"signups": batch})
    officer = bearer(tmp_path, "district_officer", OFFICER)

    async def filled() -> bool:
        totals = {
            c["campaign_id"]: c["total"] for c in (await listed(api, officer)).json()["campaigns"]
        }
        return totals == {"riders-2026": 3, "couriers-2026": 0}

    await eventually(filled, message="campaigns view caught up")
    page = (await listed(api, officer)).json()  # the officer's jurisdiction by default
    assert page["total"] == 2
    assert [c["campaign_id"] for c in page["campaigns"]] == ["couriers-2026", "riders-2026"]
    one = (await api.get("/campaigns/riders-2026", headers=officer)).json()
    assert one == {
        "campaign_id": "riders-2026",
        "district": "zhoushan/dinghai",
        "name": "外卖骑手扫码入会",
        "daily_target": 2,
        "weekly_target": 5,
        "monthly_target": 10,
        "starts_on": "2026-11-23",
        "total": 3,
        "duplicates": 0,
        "days": [{"on": "2026-11-23", "count": 3}],
    }
    paged = (await listed(api, officer, district=OFFICER, page=2, size=1)).json()
    assert (paged["total"], [c["campaign_id"] for c in paged["campaigns"]]) == (2, ["riders-2026"])
    city_wide = (await listed(api, district="zhoushan")).json()  # the city admin
    assert city_wide["total"] == 2
    assert (await listed(api, district="zhoushan/putuo")).json()["total"] == 0


async def test_the_people_who_signed_up_are_listed_masked_latest_first(api, tmp_path):
    await city(api)
    await open_campaign(api)
    first = [signup(400), signup(401)]
    second = [signup(402) | {"phone": "+86 139-1234-5678"}]
    await api.post("/campaigns/riders-2026/signups", json={"signups": first})
    await api.post("/campaigns/riders-2026/signups", json={"signups": second})
    officer = bearer(tmp_path, "district_officer", OFFICER)

    async def filled() -> bool:
        answer = await api.get("/campaigns/riders-2026/signups", headers=officer)
        return answer.json().get("total") == 3

    await eventually(filled, message="sign-ups view caught up")
    page = (await api.get("/campaigns/riders-2026/signups?size=2", headers=officer)).json()
    assert (page["total"], page["page"], page["size"]) == (3, 1, 2)
    latest = page["signups"][0]
    assert latest["name"] == "骑手402"
    assert latest["national_id_masked"] == nid(402)[:6] + "********" + nid(402)[-4:]
    assert latest["phone_masked"] == "139****5678"
    assert latest["unit"] == "zhoushan/dinghai/u1" and latest["signed_up_on"] == "2026-11-23"
    assert len(latest["card_no"]) == 16 and latest["status"] == "active"
    assert nid(402) not in str(page) and "13912345678" not in str(page)
    rest = (await api.get("/campaigns/riders-2026/signups?size=2&page=2", headers=officer)).json()
    assert [s["name"] for s in page["signups"] + rest["signups"]] == [
        "骑手402",
        "骑手401",
        "骑手400",
    ]


async def test_another_districts_officer_is_refused(api, tmp_path):
    await city(api)
    await open_campaign(api)
    putuo = bearer(tmp_path, "district_officer", "zhoushan/putuo")

    for path in ("/campaigns/riders-2026", "/campaigns/riders-2026/signups"):
        refused = await api.get(path, headers=putuo)
        assert refused.status_code == 403, path
        assert refused.json()["error"]["code"] == "outside_jurisdiction"
    refused = await listed(api, putuo, district=OFFICER)
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "outside_jurisdiction")
    own = await listed(api, putuo)
    assert own.status_code == 200 and own.json()["total"] == 0


async def test_bad_input_is_a_4xx_with_a_code(api):
    await city(api)

    async def error(response) -> tuple[int, str]:
        return response.status_code, response.json()["error"]["code"]

    assert await error(await api.get("/campaigns/nope")) == (404, "campaign_not_found")
    assert await error(await api.get("/campaigns/nope/signups")) == (404, "campaign_not_found")
    assert await error(await api.get("/campaigns/Bad_Id")) == (422, "invalid_campaign_id")
    assert await error(await api.get("/campaigns/Bad_Id/progress")) == (422, "invalid_campaign_id")
    assert await error(await listed(api, district="not a path!")) == (422, "invalid_org_path")
    assert await error(await listed(api, district="zhoushan/dinghai/u1")) == (
        422,
        "invalid_org_path",
    )
    assert (await listed(api, page=0)).status_code == 422
    assert (await listed(api, size=501)).status_code == 422
