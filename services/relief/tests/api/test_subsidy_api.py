"""The monthly subsidy run over HTTP, the follow-up visits due, and the district report."""

from __future__ import annotations

from datetime import date

from union_events.testing.waiting import eventually

from .conftest import A, B, open_file, standard


async def test_the_monthly_run_pays_active_cards_once_and_a_rerun_pays_nobody(
    api, members, b_officer, clock
):
    await standard(api)
    await standard(api, district=B)
    cards = [await open_file(api, await members.register(), income="1000.00") for _ in range(3)]
    await open_file(api, await members.register(), income="9000.00")  # no card
    await open_file(api, await members.register(B), district=B, income="500.00")
    first = await api.post("/subsidy-runs", json={"month": "2026-11"})
    assert first.json() == {
        "month": "2026-11", "cards": 4, "paid": 4, "skipped": 0, "not_members": 0,
        "amount": "300.00", "total": "1200.00",
    }  # fmt: skip
    second = await api.post("/subsidy-runs", json={"month": "2026-11"})
    assert second.json() == {
        "month": "2026-11", "cards": 4, "paid": 0, "skipped": 4, "not_members": 0,
        "amount": "300.00", "total": "0.00",
    }  # fmt: skip
    closed = await api.post(f"/files/{cards[0]['file_id']}/close", json={"reason": "脱困"})
    assert closed.status_code == 200
    clock["today"] = date(2026, 12, 2)
    december = await api.post("/subsidy-runs", json={"month": "2026-12"})
    assert december.json()["paid"] == 3

    async def figures(start="2026-11-01", end="2026-11-30"):
        report = await api.get("/reports/districts", params={"from": start, "to": end})
        return {r["district"]: r for r in report.json()} or None

    def complete(report):
        return report if sum(r["person_times"] for r in report.values()) == 7 else None

    report = await eventually(lambda: figures_then(figures, "2026-11-01", "2026-12-31", complete))
    assert report[A]["kinds"]["card_subsidy"] == {"person_times": 5, "amount": "1500.00"}
    assert report[B]["amount"] == "600.00"
    november = await figures("2026-11-01", "2026-11-30")
    assert november[A]["kinds"]["card_subsidy"] == {"person_times": 3, "amount": "900.00"}
    assert november[B]["amount"] == "300.00"
    mine = await api.get(
        "/reports/districts",
        params={"from": "2026-11-01", "to": "2026-11-30"},
        headers=b_officer,
    )
    assert [row["district"] for row in mine.json()] == [B]  # a district sees its own figures
    refused = await api.post("/subsidy-runs", json={"month": "2026-11"}, headers=b_officer)
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "forbidden_role")


async def test_a_run_for_a_month_that_has_not_begun_is_refused_in_words(api, members):
    await standard(api)
    await open_file(api, await members.register(), income="1000.00")
    for month, words in (("2027-06", "June 2027"), ("2026-12", "December 2026")):
        refused = await api.post("/subsidy-runs", json={"month": month})
        assert (refused.status_code, refused.json()["error"]["code"]) == (422, "month_not_begun")
        assert f"{words} has not begun" in refused.json()["error"]["message"]
        assert "23 November 2026" in refused.json()["error"]["message"]
    paid = await api.post("/subsidy-runs", json={"month": "2026-11"})
    assert paid.json()["paid"] == 1  # nothing was paid in advance


async def test_a_run_after_the_month_ended_counts_in_its_own_month(api, members, clock):
    """November's run on 2 December: the money counts in November's report, not December's."""
    await standard(api)
    await open_file(api, await members.register(), income="1000.00")
    clock["today"] = date(2026, 12, 2)
    assert (await api.post("/subsidy-runs", json={"month": "2026-11"})).json()["paid"] == 1

    async def figures(start, end):
        report = await api.get("/reports/districts", params={"from": start, "to": end})
        return {r["district"]: r for r in report.json()}

    november = await eventually(lambda: figures("2026-11-01", "2026-11-30"))
    assert november[A]["kinds"]["card_subsidy"] == {"person_times": 1, "amount": "300.00"}
    assert await figures("2026-12-01", "2026-12-31") == {}


async def test_a_report_whose_from_is_after_its_to_is_a_422_in_words(api):
    refused = await api.get("/reports/districts", params={"from": "2026-12-01", "to": "2026-11-01"})
    assert (refused.status_code, refused.json()["error"]["code"]) == (422, "invalid_period")
    assert refused.json()["error"]["message"] == (
        "the period ends before it begins: 'from' 2026-12-01 is after 'to' 2026-11-01"
    )


async def figures_then(figures, start, end, check):
    found = await figures(start, end)
    return check(found) if found else None


async def test_a_bad_month_is_a_422(api):
    for month in ("2026-13", "2026/11", "", 202611, "0000-01", "9999-12"):
        response = await api.post("/subsidy-runs", json={"month": month})
        assert response.status_code == 422, month


async def test_visits_are_due_every_quarter_and_overdue_ones_are_listed_by_district(
    api, members, clock
):
    await standard(api)
    visited = (await open_file(api, await members.register(), income="1000.00"))["file_id"]
    forgotten = (await open_file(api, await members.register(), income="1000.00"))["file_id"]
    clock["today"] = date(2027, 2, 20)
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
    clock["today"] = date(2026, 11, 23)
    no_card = (await open_file(api, await members.register(), income="9000.00"))["file_id"]
    refused = await api.post(f"/files/{no_card}/visits", json={})
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "no_card")


async def test_a_visit_in_the_future_or_before_the_card_or_the_last_visit_is_refused(
    api, members, clock
):
    await standard(api)
    file_id = (await open_file(api, await members.register(), income="1000.00"))["file_id"]
    path = f"/files/{file_id}/visits"
    clock["today"] = date(2027, 3, 1)
    assert (await api.post(path, json={"on": "2027-02-20"})).status_code == 201
    for on, code in (
        ("2027-03-02", "visit_in_future"),  # today is 1 March 2027
        ("2020-01-01", "visit_before_card"),  # the card was issued on 23 Nov 2026
        ("2027-01-15", "visit_before_last"),  # the last visit was on 20 Feb 2027
    ):
        refused = await api.post(path, json={"on": on})
        assert (refused.status_code, refused.json()["error"]["code"]) == (422, code), on
        assert on in refused.json()["error"]["message"]
    got = (await api.get(f"/files/{file_id}")).json()
    assert got["card"]["last_visit"] == "2027-02-20"  # never moved backwards
