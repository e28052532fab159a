"""What the desks list: claims by status, district, service point and day, the approval queue,
a member's claims and the settlement, within the caller's jurisdiction (by default all of it);
each list item is the claim as `GET /claims/{id}` shows it."""

from __future__ import annotations

import itertools
import uuid
from datetime import date

from union_events.testing.plans import DISTRICT_POOLING, claim, plan_rules
from union_events.testing.tokens import bearer
from union_events.testing.waiting import eventually

RULES = plan_rules(annual_cap="900000.00", deadline_days=90)
DINGHAI, PUTUO = "zhoushan/dinghai", "zhoushan/putuo"
SMALL, LARGE = "3000.00", "20000.00"  # approved at once; waits for an officer
numbers = itertools.count(1)


async def ready(api, feed) -> dict[str, str]:
    """Two districts with a service point each, rules, a hospital, one member of each district."""
    orgs = [("zhoushan", "city")]
    for d in (DINGHAI, PUTUO):
        orgs += [(d, "district"), (f"{d}/center", "service_point")]
    await feed.orgs(*orgs)
    assert (await api.put("/plans/inpatient/years/2026", json=RULES)).status_code == 200
    hospital = {"name": "舟山医院", "city": "zhoushan"}
    assert (await api.put("/hospitals/ZS-001", json=hospital)).is_success
    members = {d: str(uuid.uuid4()) for d in (DINGHAI, PUTUO)}
    for district, member_id in members.items():
        await feed.enrolled(member_id, district)
    return members


async def file(api, member_id: str, at: str, amount: str, status: str) -> str:
    days = {"admitted_on": "2026-04-01", "discharged_on": "2026-04-02"}
    body = claim(member_id, f"{at}/center", f"FP-{next(numbers)}", amount, **days)
    filed = await api.post("/claims", json=body)
    assert filed.status_code == 202, filed.text
    claim_id = filed.json()["claim_id"]

    async def decided() -> bool:  # once the enrolment has reached claims over NATS
        return (await api.get(f"/claims/{claim_id}")).json()["status"] == status

    await eventually(decided, timeout=20)
    return claim_id


async def listed(api, total: int, **params) -> dict:
    """The list, once the claims view has caught up with `total` claims."""

    async def page() -> dict | None:
        response = await api.get("/claims", params=params)
        assert response.status_code == 200, response.text
        return response.json() if response.json()["total"] == total else None

    return await eventually(page, message=f"{total} claims listed for {params}")


async def test_claims_are_listed_by_status_and_an_unknown_status_is_a_422(desk) -> None:
    api, feed = desk
    members = await ready(api, feed)
    approved = await file(api, members[DINGHAI], DINGHAI, SMALL, "approved")
    assessed = await file(api, members[DINGHAI], DINGHAI, LARGE, "assessed")
    by_status = await listed(api, 1, status="approved")
    assert [c["claim_id"] for c in by_status["claims"]] == [approved]
    waiting = await listed(api, 1, status="assessed")
    assert [c["claim_id"] for c in waiting["claims"]] == [assessed]
    unknown = await api.get("/claims", params={"status": "drafted"})
    assert unknown.status_code == 422
    assert "status" in unknown.json()["error"]["message"]
    assert "awaiting_approval" in unknown.json()["error"]["message"]


async def test_the_approval_queue_lists_claims_awaiting_an_officer_oldest_first(
    desk, clock
) -> None:
    api, feed = desk
    members = await ready(api, feed)
    queue = []
    for day in (date(2026, 4, 20), date(2026, 4, 22), date(2026, 4, 21)):
        clock["today"] = day
        queue.append((day, await file(api, members[DINGHAI], DINGHAI, LARGE, "assessed")))
        await file(api, members[DINGHAI], DINGHAI, SMALL, "approved")  # never in the queue
    page = await listed(api, 3, status="awaiting_approval")
    assert [c["claim_id"] for c in page["claims"]] == [c for _, c in sorted(queue)]
    assert {c["status"] for c in page["claims"]} == {"assessed"}
    newest_first = await listed(api, 3, status="assessed")
    assert [c["claim_id"] for c in newest_first["claims"]] == [c for _, c in sorted(queue)][::-1]
    paged = await api.get("/claims", params={"status": "awaiting_approval", "size": 2, "page": 2})
    assert [c["claim_id"] for c in paged.json()["claims"]] == [sorted(queue)[2][1]]


async def test_a_district_officer_lists_their_district_s_claims_without_naming_it(
    desk, tmp_path
) -> None:
    api, feed = desk
    members = await ready(api, feed)
    dinghai_member_in_putuo = await file(api, members[DINGHAI], PUTUO, SMALL, "approved")
    putuo_only = await file(api, members[PUTUO], PUTUO, SMALL, "approved")
    dinghai_only = await file(api, members[DINGHAI], DINGHAI, SMALL, "approved")
    await listed(api, 3)  # the city admin: the whole city
    officer = bearer(tmp_path / "claims", "district_officer", DINGHAI)
    clerk_at_point = bearer(tmp_path / "claims", "clerk", f"{DINGHAI}/center")
    for headers in (officer, clerk_at_point):
        mine = await api.get("/claims", headers=headers)
        assert mine.status_code == 200, mine.text
        ids = {c["claim_id"] for c in mine.json()["claims"]}
        assert ids == {dinghai_member_in_putuo, dinghai_only}  # filed or insured in Dinghai
        assert putuo_only not in ids
    other = await api.get("/claims", params={"district": PUTUO}, headers=officer)
    assert (other.status_code, other.json()["error"]["code"]) == (403, "outside_jurisdiction")
    named = await api.get("/claims", params={"district": DINGHAI}, headers=officer)
    assert named.json()["total"] == 2
    members_claims = await api.get(f"/members/{members[PUTUO]}/claims", headers=officer)
    assert members_claims.status_code == 200 and members_claims.json()["total"] == 0
    own_member = await api.get(f"/members/{members[DINGHAI]}/claims", headers=officer)
    assert own_member.json()["total"] == 2
    member = bearer(tmp_path / "claims", "member", f"{DINGHAI}/u1", subject=members[PUTUO])
    own = (await api.get("/claims", headers=member)).json()
    assert [c["claim_id"] for c in own["claims"]] == [putuo_only]


async def test_the_paying_desk_finds_a_members_approved_claims_its_point_may_pay(
    desk, tmp_path
) -> None:
    api, feed = desk
    members = await ready(api, feed)
    member = members[DINGHAI]
    approved = await file(api, member, DINGHAI, SMALL, "approved")
    await file(api, member, DINGHAI, LARGE, "assessed")  # waits for an officer: not payable
    await listed(api, 2)
    putuo_clerk = bearer(tmp_path / "claims", "clerk", f"{PUTUO}/center")
    params = {"service_point": f"{PUTUO}/center"}
    # The member is insured in Dinghai; Putuo's clerk may pay under city pooling
    found = await api.get(f"/members/{member.upper()}/payable-claims", params=params,
                          headers=putuo_clerk)  # fmt: skip
    assert found.status_code == 200, found.text
    assert [c["claim_id"] for c in found.json()["claims"]] == [approved]
    # ... and not at a point outside the clerk's jurisdiction
    elsewhere = {"service_point": f"{DINGHAI}/center"}
    refused = await api.get(f"/members/{member}/payable-claims", params=elsewhere,
                            headers=putuo_clerk)  # fmt: skip
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "outside_jurisdiction")
    district_only = {**RULES, "pooling": DISTRICT_POOLING}
    assert (await api.put("/plans/inpatient/years/2026", json=district_only)).status_code == 200
    none = await api.get(f"/members/{member}/payable-claims", params=params, headers=putuo_clerk)
    assert none.json() == {"total": 0, "claims": []}  # district pooling: only Dinghai pays


async def test_a_service_point_s_day_lists_the_claims_filed_there_that_day(desk, clock) -> None:
    api, feed = desk
    members = await ready(api, feed)
    clock["today"] = date(2026, 4, 27)
    await file(api, members[DINGHAI], DINGHAI, SMALL, "approved")
    clock["today"] = date(2026, 4, 28)
    today = {await file(api, members[PUTUO], DINGHAI, SMALL, "approved") for _ in range(2)}
    await file(api, members[PUTUO], PUTUO, SMALL, "approved")
    day = await listed(api, 2, service_point=f"{DINGHAI}/center", filed_on="2026-04-28")
    assert {c["claim_id"] for c in day["claims"]} == today
    assert {(c["service_point"], c["filed_on"]) for c in day["claims"]} == {
        (f"{DINGHAI}/center", "2026-04-28")
    }


async def test_claims_are_listed_by_a_filing_period_both_days_included(desk, clock) -> None:
    api, feed = desk
    members = await ready(api, feed)
    filed = {}
    for day in (date(2026, 4, 26), date(2026, 4, 27), date(2026, 4, 29), date(2026, 4, 30)):
        clock["today"] = day
        filed[day] = await file(api, members[DINGHAI], DINGHAI, SMALL, "approved")
    period = await listed(api, 2, filed_from="2026-04-27", filed_to="2026-04-29")
    assert {c["claim_id"] for c in period["claims"]} == {
        filed[date(2026, 4, 27)],
        filed[date(2026, 4, 29)],
    }
    since = await listed(api, 2, filed_from="2026-04-29")
    assert {c["filed_on"] for c in since["claims"]} == {"2026-04-29", "2026-04-30"}
    until = await listed(api, 1, filed_to="2026-04-26")
    assert [c["claim_id"] for c in until["claims"]] == [filed[date(2026, 4, 26)]]
    one_day = await listed(api, 1, filed_from="2026-04-30", filed_to="2026-04-30")
    assert [c["claim_id"] for c in one_day["claims"]] == [filed[date(2026, 4, 30)]]


async def test_a_filing_period_that_ends_before_it_begins_is_a_422_in_words(desk) -> None:
    api, _ = desk
    bad = await api.get("/claims", params={"filed_from": "2026-05-02", "filed_to": "2026-05-01"})
    assert (bad.status_code, bad.json()["error"]["code"]) == (422, "invalid_period")
    assert bad.json()["error"]["message"] == (
        "the period ends before it begins: 'filed_from' 2026-05-02 is after 'filed_to' 2026-05-01"
    )


async def test_a_member_id_in_upper_case_or_braces_is_the_same_member_and_other_text_none(
    desk, tmp_path
) -> None:
    """Issue 18 #8: member ids are canonical (lower-case UUIDs) everywhere, claims too."""
    api, feed = desk
    members = await ready(api, feed)
    member = members[DINGHAI]
    first = await file(api, member.upper(), DINGHAI, SMALL, "approved")
    second = await file(api, "{" + member.upper() + "}", DINGHAI, SMALL, "approved")
    shown = (await api.get(f"/claims/{first}")).json()
    assert shown["member_id"] == member  # kept in lower case
    await listed(api, 2)
    for spelt in (member, member.upper(), member.replace("-", "")):
        mine = (await api.get(f"/members/{spelt}/claims")).json()
        assert {c["claim_id"] for c in mine["claims"]} == {first, second}, spelt
    own = bearer(tmp_path / "claims", "member", f"{DINGHAI}/u1", subject=member)
    as_member = await api.get(f"/members/{member.upper()}/claims", headers=own)
    assert as_member.status_code == 200 and as_member.json()["total"] == 2
    usage = "/members/nobody-123/plans/inpatient/years/2026/usage"
    for path in ("/members/nobody-123/claims", usage):
        refused = await api.get(path)
        assert (refused.status_code, refused.json()["error"]["code"]) == (422, "invalid_member_id")
    body = claim("nobody-123", f"{DINGHAI}/center", f"FP-{next(numbers)}", SMALL)
    refused = await api.post("/claims", json=body)
    assert (refused.status_code, refused.json()["error"]["code"]) == (422, "invalid_member_id")
    assert "nobody-123" in refused.json()["error"]["message"]


async def test_a_listed_claim_has_the_fields_and_types_of_the_claim_read_alone(desk) -> None:
    api, feed = desk
    members = await ready(api, feed)
    claim_id = await file(api, members[DINGHAI], PUTUO, SMALL, "approved")
    paid = await api.post(f"/claims/{claim_id}/payment", json={"service_point": f"{PUTUO}/center"})
    assert paid.status_code == 200, paid.text
    alone = (await api.get(f"/claims/{claim_id}")).json()
    for params in ({"status": "paid"}, {"service_point": f"{PUTUO}/center", "role": "paid"}):
        [item] = (await listed(api, 1, **params))["claims"]
        assert item == alone
    [of_member] = (await api.get(f"/members/{members[DINGHAI]}/claims")).json()["claims"]
    assert of_member == alone


async def test_a_plan_year_s_rules_are_read_back_as_set(desk) -> None:
    api, _ = desk
    saved = (await api.put("/plans/inpatient/years/2026", json=RULES)).json()
    read = await api.get("/plans/inpatient/years/2026")
    assert read.status_code == 200 and read.json() == saved
    assert read.json()["per_claim_cap"] == "30000.00"
    missing = await api.get("/plans/inpatient/years/2031")
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "unknown_plan_year")
    assert read.json()["required_documents"] == []  # none unless set


async def test_a_plan_year_s_required_documents_are_read_back_and_unknown_ones_refused(
    desk,
) -> None:
    api, _ = desk
    body = {**RULES, "required_documents": ["discharge_record", "settlement_statement"]}
    assert (await api.put("/plans/inpatient/years/2027", json=body)).status_code == 200
    read = (await api.get("/plans/inpatient/years/2027")).json()
    assert read["required_documents"] == ["discharge_record", "settlement_statement"]
    bad = await api.put(
        "/plans/inpatient/years/2027", json={**RULES, "required_documents": ["x_ray"]}
    )
    assert (bad.status_code, bad.json()["error"]["code"]) == (422, "unknown_document")


async def test_a_district_officer_reads_their_district_s_settlement_without_naming_it(
    desk, tmp_path
) -> None:
    api, feed = desk
    members = await ready(api, feed)
    for member, at in ((members[DINGHAI], PUTUO), (members[PUTUO], PUTUO)):
        claim_id = await file(api, member, at, SMALL, "approved")
        body = {"service_point": f"{at}/center"}
        assert (await api.post(f"/claims/{claim_id}/payment", json=body)).status_code == 200
    period = {"from": "2026-04-01", "to": "2026-04-30"}

    async def settled():
        report = (await api.get("/settlements", params=period)).json()
        return report if sum(f["claims"] for f in report["flows"]) == 2 else None

    city = await eventually(settled)
    assert city["scope"] == "zhoushan"
    officer = bearer(tmp_path / "claims", "district_officer", DINGHAI)
    mine = (await api.get("/settlements", params=period, headers=officer)).json()
    assert mine["scope"] == DINGHAI
    assert mine["flows"] == [
        {"paying_district": PUTUO, "insuring_district": DINGHAI, "claims": 1, "amount": "1250.00"}
    ]
    assert {b["district"]: b["net"] for b in mine["balances"]}[DINGHAI] == "-1250.00"
    report = (await api.get("/reports/districts", params=period, headers=officer)).json()
    assert [r["district"] for r in report] == [DINGHAI]
    assert report[0]["insured_amount"] == "1250.00"
    other = await api.get("/settlements", params=period | {"district": PUTUO}, headers=officer)
    assert other.status_code == 403


async def test_a_period_from_after_to_is_a_422_in_words(desk) -> None:
    api, _ = desk
    for path in ("/settlements", "/reports/districts"):
        response = await api.get(path, params={"from": "2026-06-01", "to": "2026-05-01"})
        assert response.status_code == 422, response.text
        error = response.json()["error"]
        assert error["code"] == "invalid_period"
        assert error["message"] == (
            "the period ends before it begins: 'from' 2026-06-01 is after 'to' 2026-05-01"
        )


async def test_a_members_annual_cap_usage_says_what_remains_after_their_claims(
    desk, tmp_path
) -> None:
    api, feed = desk
    members = await ready(api, feed)
    member = members[DINGHAI]
    path = f"/members/{member}/plans/inpatient/years/2026/usage"
    clerk = bearer(tmp_path / "claims", "clerk", f"{PUTUO}/center")
    before = await api.get(path, headers=clerk)  # any clerk of the city: a member may come
    assert before.status_code == 200, before.text
    assert before.json() == {
        "member_id": member, "plan_id": "inpatient", "year": 2026,
        "annual_cap": "900000.00", "used": "0.00", "remaining": "900000.00",
    }  # fmt: skip
    approved = await file(api, member, DINGHAI, SMALL, "approved")  # 3000 - 500, half: 1250
    benefit = (await api.get(f"/claims/{approved}")).json()["benefit"]
    assert benefit == "1250.00"
    after = (await api.get(path.replace(member, member.upper()))).json()
    assert (after["used"], after["remaining"]) == ("1250.00", "898750.00")
    unknown = await api.get(f"/members/{member}/plans/inpatient/years/2031/usage")
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "unknown_plan_year")
    bad = await api.get("/members/nobody/plans/inpatient/years/2026/usage")
    assert (bad.status_code, bad.json()["error"]["code"]) == (422, "invalid_member_id")
    other = bearer(tmp_path / "claims", "member", f"{DINGHAI}/fishery", subject=str(uuid.uuid4()))
    refused = await api.get(path, headers=other)
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "not_own_record")


async def test_the_rejection_report_counts_rejected_claims_per_district_and_reason(
    desk, clock, tmp_path
) -> None:
    api, feed = desk
    members = await ready(api, feed)
    clock["today"] = date(2026, 4, 20)
    await file(api, members[DINGHAI], DINGHAI, "400.00", "rejected")  # below the deductible
    await file(api, members[PUTUO], PUTUO, "400.00", "rejected")
    await file(api, members[DINGHAI], DINGHAI, SMALL, "approved")  # not rejected
    clock["today"] = date(2026, 8, 1)
    await file(api, members[DINGHAI], DINGHAI, SMALL, "rejected")  # 121 days after discharge
    period = {"from": "2026-04-01", "to": "2026-08-31"}

    async def counted():
        rows = (await api.get("/reports/rejections", params=period)).json()
        return rows if sum(r["claims"] for r in rows) == 3 else None

    assert await eventually(counted) == [
        {"district": DINGHAI, "code": "below_deductible", "claims": 1},
        {"district": DINGHAI, "code": "past_deadline", "claims": 1},
        {"district": PUTUO, "code": "below_deductible", "claims": 1},
    ]
    officer = bearer(tmp_path / "claims", "district_officer", PUTUO)
    mine = await api.get("/reports/rejections", params=period, headers=officer)
    assert mine.json() == [{"district": PUTUO, "code": "below_deductible", "claims": 1}]
    april = await api.get("/reports/rejections", params={"from": "2026-04-01", "to": "2026-04-30"})
    assert sum(r["claims"] for r in april.json()) == 2
    bad = await api.get("/reports/rejections", params={"from": "2026-06-01", "to": "2026-05-01"})
    assert (bad.status_code, bad.json()["error"]["code"]) == (422, "invalid_period")


async def test_claims_are_sorted_by_filing_day_or_benefit_and_an_unknown_sort_is_a_422(
    desk, clock
) -> None:
    api, feed = desk
    members = await ready(api, feed)
    filed = {}  # day: (claim, benefit)
    for day, amount, benefit in (
        (date(2026, 4, 20), "3000.00", "1250.00"),
        (date(2026, 4, 22), "2000.00", "750.00"),
        (date(2026, 4, 21), "4000.00", "1750.00"),
    ):
        clock["today"] = day
        filed[day] = (await file(api, members[DINGHAI], DINGHAI, amount, "approved"), benefit)
    by_day = sorted(filed.items())

    async def order(sort: str) -> list[str]:
        return [c["claim_id"] for c in (await listed(api, 3, sort=sort))["claims"]]

    assert await order("filed_on") == [c for _, (c, _) in by_day]
    assert await order("-filed_on") == [c for _, (c, _) in by_day][::-1]
    by_benefit = sorted(filed.values(), key=lambda cb: float(cb[1]))
    assert await order("benefit") == [c for c, _ in by_benefit]
    assert await order("-benefit") == [c for c, _ in by_benefit][::-1]
    assert await order("-claimed") == [c for c, _ in by_benefit][::-1]
    page = await listed(api, 3, sort="-benefit")
    assert [c["benefit"] for c in page["claims"]] == ["1750.00", "1250.00", "750.00"]
    for bad in ("member_id", "benefit desc", "--benefit"):
        refused = await api.get("/claims", params={"sort": bad})
        assert (refused.status_code, refused.json()["error"]["code"]) == (422, "invalid_sort")
        assert "sort is one of filed_on, -filed_on" in refused.json()["error"]["message"]
