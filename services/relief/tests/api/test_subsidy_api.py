"""The monthly subsidy run over HTTP, the follow-up visits due, and the district report."""

from __future__ import annotations

from union_events.testing.waiting import eventually

from .conftest import A, B, open_file, standard


async def test_the_monthly_run_pays_active_cards_once_and_a_rerun_pays_nobody(api, b_officer):
    await standard(api)
    await standard(api, district=B)
    cards = [await open_file(api, member_id=f"m{i}", income="1000.00") for i in range(3)]
    await open_file(api, member_id="m9", income="9000.00")  # no card
    await open_file(api, member_id="m8", district=B, income="500.00")
    first = await api.post("/subsidy-runs", json={"month": "2026-11"})
    assert first.json() == {"month": "2026-11", "cards": 4, "paid": 4, "skipped": 0}
    second = await api.post("/subsidy-runs", json={"month": "2026-11"})
    assert second.json() == {"month": "2026-11", "cards": 4, "paid": 0, "skipped": 4}
    closed = await api.post(f"/files/{cards[0]['file_id']}/close", json={"reason": "脱困"})
    assert closed.status_code == 200
    december = await api.post("/subsidy-runs", json={"month": "2026-12"})
    assert december.json()["paid"] == 3

    async def figures():
        report = await api.get(
            "/reports/districts", params={"from": "2026-11-01", "to": "2026-11-30"}
        )
        return {r["district"]: r for r in report.json()} or None

    def complete(report):
        return report if sum(r["person_times"] for r in report.values()) == 7 else None

    report = await eventually(lambda: figures_then(figures, complete))
    # both runs happened on the test's today (23 Nov): 3 + 2 cards in A, 1 + 1 in B
    assert report[A]["kinds"]["card_subsidy"] == {"person_times": 5, "amount": "1500.00"}
    assert report[B]["amount"] == "600.00"
    mine = await api.get(
        "/reports/districts",
        params={"from": "2026-11-01", "to": "2026-11-30"},
        headers=b_officer,
    )
    assert [row["district"] for row in mine.json()] == [B]  # a district sees its own figures
    refused = await api.post("/subsidy-runs", json={"month": "2026-12"}, headers=b_officer)
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "forbidden_role")


async def figures_then(figures, check):
    found = await figures()
    return check(found) if found else None


async def test_a_bad_month_is_a_422(api):
    for month in ("2026-13", "2026/11", "", 202611):
        response = await api.post("/subsidy-runs", json={"month": month})
        assert response.status_code == 422, month


async def test_visits_are_due_every_quarter_and_overdue_ones_are_listed_by_district(api):
    await standard(api)
    visited = (await open_file(api, member_id="m1", income="1000.00"))["file_id"]
    forgotten = (await open_file(api, member_id="m2", income="1000.00"))["file_id"]
    response = await api.post(f"/files/{visited}/visits", json={"on": "2027-02-20"})
    assert response.status_code == 201
    assert response.json()["card"]["last_visit"] == "2027-02-20"

    async def overdue():
        listed = (await api.get("/reports/overdue-visits", params={"on": "2027-02-24"})).json()
        files = [c["file_id"] for d in listed for c in d["overdue"]]
        return listed if files == [forgotten] else None  # the read model caught up

    [district] = await eventually(overdue)  # issued 2026-11-23: due 2027-02-23
    assert district["district"] == A
    assert [c["file_id"] for c in district["overdue"]] == [forgotten]
    assert district["overdue"][0]["due"] == "2027-02-23"
    no_card = (await open_file(api, member_id="m3", income="9000.00"))["file_id"]
    refused = await api.post(f"/files/{no_card}/visits", json={})
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "no_card")
