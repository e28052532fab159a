"""Enrolment names a plan year claims set (heard over NATS), still open; a member is of working
age with a Chinese mobile number."""

from __future__ import annotations

import uuid
from datetime import date

from union_events.testing.waiting import eventually

from .conftest import city, nid, plan_year, publish_plan_year, register


async def test_enrolment_in_a_plan_year_claims_never_set_is_refused(api, nats_url):
    await city(api)
    member_id = (await register(api, 600)).json()["member_id"]
    plan = f"plan-{uuid.uuid4().hex[:8]}"
    refused = await api.post(
        f"/members/{member_id}/enrolments", json={"plan_id": plan, "year": 2026}
    )
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "unknown_plan_year" and plan in error["message"]
    assert (await api.get(f"/plan-years/{plan}/2026")).status_code == 404

    await plan_year(api, nats_url, 2026, plan)
    accepted = await api.post(
        f"/members/{member_id}/enrolments", json={"plan_id": plan, "year": 2026}
    )
    assert accepted.status_code == 201, accepted.text


async def test_enrolment_after_the_plan_years_closing_day_is_refused(api, nats_url):
    await city(api)
    member_id = (await register(api, 601)).json()["member_id"]
    plan = f"plan-{uuid.uuid4().hex[:8]}"
    await plan_year(api, nats_url, 2026, plan, enrolment_closes_on="2026-11-22")  # today 11-23
    refused = await api.post(
        f"/members/{member_id}/enrolments", json={"plan_id": plan, "year": 2026}
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "enrolment_closed"
    assert "2026-11-22" in refused.json()["error"]["message"]

    await plan_year(api, nats_url, 2026, plan, enrolment_closes_on="2026-12-15")  # set again
    accepted = await api.post(
        f"/members/{member_id}/enrolments", json={"plan_id": plan, "year": 2026}
    )
    assert accepted.status_code == 201, accepted.text

    async def listed_once():
        rows = (await api.get("/plan-years", params={"plan_id": plan})).json()["plan_years"]
        return rows if rows and rows[0]["enrolment_closes_on"] == "2026-12-15" else None

    assert await eventually(listed_once) == [
        {"plan_id": plan, "year": 2026, "enrolment_closes_on": "2026-12-15",
         "claims_close_on": None}
    ]  # fmt: skip


async def test_a_plan_year_heard_again_is_noted_once(api, nats_url):
    plan = f"plan-{uuid.uuid4().hex[:8]}"
    await plan_year(api, nats_url, 2027, plan)
    consumer = next(
        c for c in api._transport.app.state.runtime.consumers if c.spec.name == "members-claims"
    )
    before = consumer.handled
    await publish_plan_year(nats_url, plan, 2027)  # the same rules set again in claims
    await eventually(lambda: consumer.handled > before, message="heard again")
    store = api._transport.app.state.runtime.store
    assert len(await store.read_stream(f"plan-year-{plan}-2027")) == 1


async def test_a_person_under_sixteen_cannot_register(api):
    await city(api)
    eleven = nid(602, born=date(2015, 3, 1))
    response = await api.post(
        "/members",
        json={"national_id": eleven, "name": "小明", "phone": "13800000000",
              "unit": "zhoushan/dinghai/u1"},
    )  # fmt: skip
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "under_working_age" and "16" in error["message"]
    assert eleven not in response.text
    sixteen = nid(603, born=date(2010, 11, 23))  # 16 today
    response = await api.post(
        "/members",
        json={"national_id": sixteen, "name": "小明", "phone": "13800000000",
              "unit": "zhoushan/dinghai/u1"},
    )  # fmt: skip
    assert response.status_code == 201, response.text


async def test_a_phone_must_be_a_chinese_mobile_number_and_is_kept_normalized(api):
    await city(api)
    body = {"national_id": nid(604), "name": "王", "unit": "zhoushan/dinghai/u1"}
    refused = await api.post("/members", json=body | {"phone": "abcde"})
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "invalid_phone" and "11 digits" in error["message"]
    created = await api.post("/members", json=body | {"phone": "+86 139-1234-5678"})
    assert created.status_code == 201, created.text
    member = (await api.get(f"/members/{created.json()['member_id']}")).json()
    assert member["phone"] == "13912345678"


async def test_a_sign_up_batch_rejects_minors_and_bad_phones_with_the_rule_in_words(api):
    await city(api)
    campaign = {"campaign_id": "riders", "district": "zhoushan/dinghai", "name": "骑手"}
    assert (await api.post("/campaigns", json=campaign)).status_code == 201
    row = {"name": "骑手", "phone": "13900000000", "unit": "zhoushan/dinghai/u1"}
    batch = [
        row | {"national_id": nid(605)},
        row | {"national_id": nid(606, born=date(2014, 1, 1))},
        row | {"national_id": nid(607), "phone": "12345"},
    ]
    result = (await api.post("/campaigns/riders/signups", json={"signups": batch})).json()
    assert result["accepted"] == 1
    reasons = {r["index"]: r["reason"] for r in result["rejected"]}
    assert "16" in reasons[1] and "mobile" in reasons[2]
