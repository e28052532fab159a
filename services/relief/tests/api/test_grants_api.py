"""Relief grants over HTTP: apply → approve/reject → disburse within the budget → receipt."""

from __future__ import annotations

import asyncio

from union_events.testing.waiting import eventually

from .conftest import A


async def budget(api, amount, kind="education", district=A):
    body = {"district": district, "year": 2026, "kind": kind, "amount": amount}
    response = await api.put("/budgets", json=body)
    assert response.status_code == 200, response.text
    return response.json()


async def approved(api, member, amount="7700.00", kind="education") -> str:
    body = {"member_id": member, "district": A, "kind": kind, "amount": amount}
    applied = await api.post("/applications", json=body)
    assert applied.status_code == 201, applied.text
    application_id = applied.json()["application_id"]
    response = await api.post(f"/applications/{application_id}/approve")
    assert response.json()["status"] == "approved"
    return application_id


async def test_a_grant_goes_from_application_to_receipt_and_is_reported(api, members):
    await budget(api, "20000.00")
    application_id = await approved(api, await members.register())
    paid = await api.post(f"/applications/{application_id}/disburse")
    assert paid.status_code == 200 and paid.json()["status"] == "disbursed"
    again = await api.post(f"/applications/{application_id}/disburse")
    assert (again.status_code, again.json()["error"]["code"]) == (409, "already_disbursed")
    receipt = await api.post(f"/applications/{application_id}/receipt")
    assert receipt.json()["receipt_on"] == "2026-11-23"
    left = await api.get("/budgets", params={"district": A, "year": 2026, "kind": "education"})
    assert (left.json()["committed"], left.json()["left"]) == ("7700.00", "12300.00")

    async def reported():
        report = await api.get(
            "/reports/districts", params={"from": "2026-01-01", "to": "2026-12-31"}
        )
        return report.json()

    [row] = await eventually(reported)
    assert row == {
        "district": A,
        "kinds": {"education": {"person_times": 1, "amount": "7700.00"}},
        "person_times": 1,
        "amount": "7700.00",
    }


async def test_a_rejection_carries_its_reason_and_a_rejected_grant_is_not_paid(api, members):
    await budget(api, "20000.00")
    member = await members.register()
    body = {"member_id": member, "district": A, "kind": "festival_condolence", "amount": "500.00"}
    application_id = (await api.post("/applications", json=body)).json()["application_id"]
    rejected = await api.post(f"/applications/{application_id}/reject", json={"reason": "重复申请"})
    assert rejected.json()["rejection_reason"] == "重复申请"
    refused = await api.post(f"/applications/{application_id}/disburse")
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "not_approved")


async def test_a_disbursement_that_would_overspend_is_refused(api, members):
    await budget(api, "10000.00")
    first = await approved(api, await members.register())
    second = await approved(api, await members.register())
    assert (await api.post(f"/applications/{first}/disburse")).status_code == 200
    refused = await api.post(f"/applications/{second}/disburse")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "budget_exceeded"
    assert "2300.00" in refused.json()["error"]["message"]


async def test_concurrent_disbursements_never_overspend_the_budget(api, members):
    await budget(api, "5000.00", kind="living_assistance")
    member = await members.register()  # grants have no one-per-member rule
    ids = [
        await approved(api, member, amount="1000.00", kind="living_assistance") for _ in range(12)
    ]
    responses = await asyncio.gather(*(api.post(f"/applications/{i}/disburse") for i in ids))
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] * 5 + [409] * 7
    assert {r.json()["error"]["code"] for r in responses if r.status_code == 409} == {
        "budget_exceeded"
    }
    left = await api.get(
        "/budgets", params={"district": A, "year": 2026, "kind": "living_assistance"}
    )
    assert (left.json()["committed"], left.json()["left"]) == ("5000.00", "0.00")


async def test_bad_money_is_a_422_in_words(api):
    member = "0b8a7c1e-3f7d-4a53-9c1f-2d5e8f6a7b90"
    for amount in (7700.0, "-5.00", "1.234", "abc"):
        body = {"member_id": member, "district": A, "kind": "education", "amount": amount}
        response = await api.post("/applications", json=body)
        assert response.status_code == 422, amount
        assert "amount" in response.json()["error"]["message"]
        assert "\\d" not in response.json()["error"]["message"]  # no regular expression
    unknown = await api.post(
        "/applications", json={"member_id": member, "district": A, "kind": "x", "amount": "1.00"}
    )
    assert unknown.status_code == 422
