"""Relief helps members it knows, one file each; drafts get a recipient before they are
submitted; approvals stay within what was asked; lists page and read like single records."""

from __future__ import annotations

import asyncio
import uuid
from decimal import Decimal

from relief.app.aggregates import file_stream
from relief.consumers.outreach import intake_application_id
from relief.domain import codec
from relief.domain.events import CardIssued
from relief.domain.hardship_file import Assessment, HardshipFile, decide_open
from union_events.events import NewEvent
from union_events.published.members import MemberErased, MemberLeft
from union_events.published.outreach import IntakeRecorded
from union_events.testing.tokens import bearer
from union_events.testing.waiting import eventually

from .conftest import TODAY, A, B, file_body, open_file, standard

NOBODY = "0b8a7c1e-3f7d-4a53-9c1f-2d5e8f6a7b90"  # a well-formed id members never registered


def application(member_id, amount="100.00", district=A):
    return {"member_id": member_id, "district": district, "kind": "education", "amount": amount}


async def test_a_file_or_an_application_for_someone_nobody_registered_is_refused(api, members):
    await standard(api)
    for body in (file_body("not-a-member"), application("not-a-member")):
        path = "/files" if "household" in body else "/applications"
        refused = await api.post(path, json=body)
        assert (refused.status_code, refused.json()["error"]["code"]) == (422, "invalid_member_id")
    for path, body in (("/files", file_body(NOBODY)), ("/applications", application(NOBODY))):
        refused = await api.post(path, json=body)
        assert (refused.status_code, refused.json()["error"]["code"]) == (422, "unknown_member")
        assert NOBODY in refused.json()["error"]["message"]
    member = await members.register()
    assert (await api.post("/files", json=file_body(member.upper()))).status_code == 201
    known = (await api.get(f"/members/{member}")).json()
    assert (known["status"], known["district"]) == ("active", A)
    assert known["open_file_id"] is not None and known["card_id"] is not None


async def test_a_member_who_left_gets_no_new_file(api, members):
    await standard(api)
    member = await members.register()
    await members.send(MemberLeft(member_id=member, unit=f"{A}/u1", on=TODAY))

    async def left():
        return (await api.get(f"/members/{member}")).json()["status"] == "left"

    await eventually(left, timeout=20)
    refused = await api.post("/files", json=file_body(member))
    assert (refused.status_code, refused.json()["error"]["code"]) == (422, "member_left")


async def test_a_second_file_for_the_same_member_is_refused_naming_the_first(api, members):
    await standard(api)
    member = await members.register()
    first = await open_file(api, member, income="1000.00")
    second = await api.post("/files", json=file_body(member, income="1000.00"))
    assert (second.status_code, second.json()["error"]["code"]) == (409, "file_exists")
    assert first["file_id"] in second.json()["error"]["message"]
    assert second.json()["error"]["file_id"] == first["file_id"]
    run = await api.post("/subsidy-runs", json={"month": "2026-11"})
    assert run.json()["paid"] == 1
    closed = await api.post(f"/files/{first['file_id']}/close", json={"reason": "迁出后返回"})
    assert closed.status_code == 200
    reopened = await open_file(api, member, income="1000.00")  # a new file once closed
    assert reopened["card"] is not None
    again = await api.post("/subsidy-runs", json={"month": "2026-11"})
    assert again.json() == {
        "month": "2026-11", "cards": 1, "paid": 0, "skipped": 1, "not_members": 0,
        "amount": "300.00", "total": "0.00",
    }  # fmt: skip


async def test_the_card_of_a_member_who_left_or_was_erased_is_not_paid_by_the_run(api, members):
    await standard(api)
    stays, leaves, erased = [await members.register() for _ in range(3)]
    for member in (stays, leaves, erased):
        await open_file(api, member, income="1000.00")
    await members.send(MemberLeft(member_id=leaves, unit=f"{A}/u1", on=TODAY))
    await members.send(MemberErased(member_id=erased, on=TODAY))

    async def heard():
        statuses = [(await api.get(f"/members/{m}")).json().get("status") for m in (leaves, erased)]
        return statuses == ["left", "erased"]

    await eventually(heard, timeout=20, message="relief heard the member leave and the erasure")
    run = (await api.post("/subsidy-runs", json={"month": "2026-11"})).json()
    assert (run["cards"], run["paid"], run["not_members"]) == (3, 1, 2)
    paid = (await api.post("/subsidy-runs", json={"month": "2026-11"})).json()
    assert (paid["paid"], paid["skipped"], paid["not_members"]) == (0, 1, 2)


async def test_a_card_from_before_the_members_rule_for_someone_nobody_registered_is_not_paid(
    api, members
):
    """Issue 18 #4: a file for `not-a-member` got a card and was paid. Files are refused now;
    a card in the log from before the rule is not paid either (counted in `not_members`)."""
    await standard(api)
    paid_member = await members.register()
    await open_file(api, paid_member, income="1000.00")
    store = api._transport.app.state.runtime.store
    for nobody in ("not-a-member", NOBODY):
        file_id = str(uuid.uuid4())
        events = decide_open(
            HardshipFile(), file_id=file_id, member_id=nobody, district=A, category="deep",
            household_size=1, monthly_income=Decimal("500.00"), household_sealed="",
            opened_by=A, assessment=Assessment(Decimal("770.00"), Decimal("1.3"), TODAY),
        )  # fmt: skip
        assert any(isinstance(e, CardIssued) for e in events)
        await store.append(file_stream(file_id), 0, [NewEvent(*codec.encode(e)) for e in events])
    run = (await api.post("/subsidy-runs", json={"month": "2026-11"})).json()
    assert (run["cards"], run["paid"], run["not_members"], run["total"]) == (3, 1, 2, "300.00")
    paid = [e for e in await store.read_all() if e.type == "union.relief.subsidy.paid.v1"]
    assert [e.data["member_id"] for e in paid] == [paid_member]


async def test_two_files_opened_at_once_for_one_member_make_one(api, members):
    await standard(api)
    member = await members.register()
    tries = await asyncio.gather(
        *(api.post("/files", json=file_body(member, income="1000.00")) for _ in range(6))
    )
    assert sorted(r.status_code for r in tries) == [201] + [409] * 5
    known = (await api.get(f"/members/{member}")).json()
    assert len(known["file_ids"]) == 1


async def test_org_paths_with_hyphens_are_districts_and_units_like_any(api, members):
    """The demo's own units (`zhoushan/dinghai/fishery-co`) and hyphenated districts."""
    for district in (A, "zhoushan/xin-qu"):
        await standard(api, district=district)
        member = await members.register(district)
        opened = await open_file(
            api, member, district=district, opened_by=f"{district}/fishery-co", income="1000.00"
        )
        assert (opened["district"], opened["card"] is not None) == (district, True)
    budget = {"district": "zhoushan/xin-qu", "year": 2026, "kind": "education", "amount": "1.00"}
    assert (await api.put("/budgets", json=budget)).status_code == 200


async def test_a_draft_from_an_intake_without_a_member_needs_a_recipient_before_submitting(
    api, members
):
    intake = IntakeRecorded(
        intake_id=f"i-{uuid.uuid4()}",
        kind="hardship",
        channel="session",
        district=A,
        place=f"{A}/center",
        member_id=None,
        on=TODAY,
    )
    await members.send(intake, source="/union/outreach")
    path = f"/applications/{intake_application_id(intake.intake_id)}"

    async def drafted():
        response = await api.get(path)
        return response.json() if response.status_code == 200 else None

    draft = await eventually(drafted, timeout=20)
    assert (draft["status"], draft["member_id"]) == ("drafted", None)
    refused = await api.post(f"{path}/submit", json={"amount": "2000.00"})
    assert (refused.status_code, refused.json()["error"]["code"]) == (422, "recipient_required")
    unknown = await api.put(f"{path}/recipient", json={"member_id": NOBODY})
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (422, "unknown_member")
    member = await members.register()
    named = await api.put(f"{path}/recipient", json={"member_id": member})
    assert (named.status_code, named.json()["member_id"]) == (200, member)
    submitted = await api.post(f"{path}/submit", json={"amount": "2000.00"})
    assert submitted.json()["status"] == "submitted"
    late = await api.put(f"{path}/recipient", json={"member_id": member})
    assert (late.status_code, late.json()["error"]["code"]) == (409, "not_drafted")


async def test_an_approval_above_the_amount_applied_for_is_refused_with_both_amounts(api, members):
    applied = await api.post("/applications", json=application(await members.register()))
    path = f"/applications/{applied.json()['application_id']}"
    refused = await api.post(f"{path}/approve", json={"amount": "99999.00"})
    assert (refused.status_code, refused.json()["error"]["code"]) == (422, "above_requested")
    assert {"99999.00", "100.00"} <= set(refused.json()["error"]["message"].split())
    lowered = await api.post(f"{path}/approve", json={"amount": "80.00"})
    shown = lowered.json()
    assert (shown["amount_requested"], shown["amount_approved"]) == ("100.00", "80.00")
    assert "amount" not in shown


async def test_lists_are_paged_with_a_total_and_rows_read_like_single_records(api, members):
    await standard(api)
    for _ in range(3):
        member = await members.register()
        await open_file(api, member, income="1000.00")
        await api.post("/applications", json=application(member))

    async def listed(path, name, **params):
        response = await api.get(path, params=params)
        found = response.json()
        return found if found["total"] == 3 and len(found[name]) else None

    page = await eventually(lambda: listed("/files", "files", page=2, size=2))
    assert (page["total"], page["page"], page["size"], len(page["files"])) == (3, 2, 2, 1)
    [row] = page["files"]
    single = (await api.get(f"/files/{row['file_id']}")).json()
    assert row == {k: v for k, v in single.items() if k != "household"}
    assert row["income_per_head"] == "500.00" and row["monthly_income"] == "1000.00"
    apps = await eventually(lambda: listed("/applications", "applications", size=2))
    assert (apps["total"], len(apps["applications"])) == (3, 2)
    first = apps["applications"][0]
    assert first == (await api.get(f"/applications/{first['application_id']}")).json()
    assert (first["status"], first["amount_requested"], first["amount_approved"]) == (
        "submitted",
        "100.00",
        None,
    )
    drafts = await api.get("/applications", params={"status": "drafted"})
    assert drafts.json()["total"] == 0
    bad = await api.get("/applications", params={"status": "draft"})
    assert bad.status_code == 422  # statuses as documented: drafted, submitted, ...


async def test_a_district_officer_lists_and_reports_their_own_district_without_naming_it(
    api, members, tmp_path
):
    await standard(api)
    await standard(api, district=B)
    await open_file(api, await members.register(), income="1000.00")
    await open_file(api, await members.register(B), district=B, income="1000.00")
    clerk_b = bearer(tmp_path, "clerk", f"{B}/center")

    async def mine():
        found = (await api.get("/files", headers=clerk_b)).json()
        return found if found["total"] == 1 else None

    assert [f["district"] for f in (await eventually(mine))["files"]] == [B]
    city = (await api.get("/files")).json()  # the city admin: every district of the city
    assert city["total"] == 2
    named = await api.get("/files", params={"district": A}, headers=clerk_b)
    assert (named.status_code, named.json()["error"]["code"]) == (403, "outside_jurisdiction")
    assert (await api.post("/subsidy-runs", json={"month": "2026-11"})).json()["paid"] == 2
    period = {"from": "2026-11-01", "to": "2026-11-30"}  # the period named, not the district
    officer_b = bearer(tmp_path, "district_officer", B)

    async def reported():
        rows = (await api.get("/reports/districts", params=period, headers=officer_b)).json()
        return rows or None

    assert [r["district"] for r in await eventually(reported)] == [B]
