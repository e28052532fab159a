"""What a desk sees over HTTP: a returned claim resubmitted and why it was returned, a claim's
receipt and review (invoices, dates, documents, the benefit's working, who did what), the plan
year's closing date, and the federation's today."""

from __future__ import annotations

from contextlib import asynccontextmanager
from datetime import UTC, date, datetime

import pytest
import union_events.clock
from claims.bootstrap import definition
from union_events.events import NewEvent
from union_events.settings import ServiceSettings
from union_events.testing.http import service_client
from union_events.testing.plans import TWO_TIERS, plan_rules
from union_events.testing.plans import claim as claim_body
from union_events.testing.tokens import token
from union_events.testing.waiting import eventually

from ..places import POINT, ZHOUSHAN_HOSPITAL, register_places

MEMBER = "3f0c2f4e-6a43-4e0b-9a51-3f6f1c9a2b10"
RULES = plan_rules(tiers=TWO_TIERS, annual_cap="50000.00", deadline_days=90)
ADMIN = "test-city-admin"


def claim(number: str, amount: str = "6230.00", **change) -> dict:
    body = claim_body(MEMBER, POINT, number, amount)  # at the city's hospital, ZHOUSHAN_HOSPITAL
    return body | {"documents": ["settlement_statement", "discharge_record"]} | change


@asynccontextmanager
async def claims_service(nats_url, database_url, data_dir, today=None, years=(2026,)):
    """Claims over HTTP in-process: Dinghai's service point and the hospitals registered
    (`places.py`), MEMBER's enrolment in each of `years` heard."""
    settings = ServiceSettings(
        nats_url=nats_url, database_url=database_url, union_data_dir=data_dir
    )
    extras = {"today": today} if today else {}
    async with service_client(definition(), settings, extras) as api:
        store = api._transport.app.state.runtime.store
        await register_places(store)
        for year in years:
            data = {"plan_id": "inpatient", "year": year, "insuring_district": "zhoushan/dinghai"}
            noted = NewEvent("union.claims.member.enrolment_noted.v1", data)
            await store.append(f"member-{MEMBER}", None, [noted])
        yield api


def bearer(data_dir, role: str, org: str, subject: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(data_dir, role, org, subject=subject)}"}


async def test_a_returned_claim_shows_why_and_is_resubmitted_under_its_own_id(
    nats_url, database_url, tmp_path
):
    async with claims_service(nats_url, database_url, tmp_path, lambda: date(2026, 4, 28)) as api:
        assert (await api.put("/plans/inpatient/years/2026", json=RULES)).status_code == 200
        filed = await api.post("/claims", json=claim("INV-RS-1"))
        assert filed.status_code == 202 and filed.json()["status"] == "approved"
        claim_id = filed.json()["claim_id"]
        body = {"code": "missing_documents", "reason": "缺分割单"}
        returned = await api.post(f"/claims/{claim_id}/return", json=body)
        assert returned.status_code == 200
        assert (returned.json()["returned_code"], returned.json()["returned_reason"]) == (
            "missing_documents",
            "缺分割单",
        )
        shown = (await api.get(f"/claims/{claim_id}")).json()
        assert (shown["status"], shown["returned_code"], shown["returned_reason"]) == (
            "returned",
            "missing_documents",
            "缺分割单",
        )
        assert shown["returned_on"] == "2026-04-28"
        assert shown["returned_by"] == {"subject": ADMIN, "role": "city_admin"}
        step = shown["timeline"][-1]
        at = datetime.fromisoformat(step.pop("at"))  # the instant the return was recorded
        filed_at = datetime.fromisoformat(shown["timeline"][0]["at"])
        assert at.tzinfo is not None and filed_at <= at <= datetime.now(UTC)
        assert step == {
            "what": "returned",
            "on": "2026-04-28",
            "by": {"subject": ADMIN, "role": "city_admin"},
            "code": "missing_documents",
            "reason": "缺分割单",
        }
        again = await api.post("/claims", json=claim("INV-RS-1"))  # a new claim: still held
        assert again.status_code == 409 and again.json()["error"]["code"] == "duplicate_invoice"
        assert claim_id in again.json()["error"]["message"]
        assert again.json()["error"]["held_by_status"] == "returned"  # and the way on, said:
        assert f"POST /claims/{claim_id}/resubmission" in again.json()["error"]["message"]

        corrected = claim("INV-RS-1", "6000.00")
        corrected["invoices"].append(
            {
                "hospital": ZHOUSHAN_HOSPITAL,
                "number": "INV-RS-2",
                "amount": "230.00",
                "issued_on": "2026-04-20",
            }
        )
        body = {k: corrected[k] for k in ("admitted_on", "discharged_on", "invoices")}
        body["documents"] = ["settlement_statement", "split_certificate"]
        resubmitted = await api.post(f"/claims/{claim_id}/resubmission", json=body)
        assert resubmitted.status_code == 202, resubmitted.text
        assert resubmitted.json() == {"claim_id": claim_id, "status": "approved"}
        shown = (await api.get(f"/claims/{claim_id}")).json()
        assert (shown["status"], shown["benefit"], shown["filed_on"]) == (
            "approved",
            "3011.00",
            "2026-04-28",
        )
        assert shown["resubmitted_on"] == "2026-04-28"
        assert [i["number"] for i in shown["invoices"]] == ["INV-RS-1", "INV-RS-2"]
        assert shown["documents"] == ["settlement_statement", "split_certificate"]
        assert [s["what"] for s in shown["timeline"]][-3:] == [
            "resubmitted",
            "assessed",
            "approved",
        ]
        twice = await api.post(f"/claims/{claim_id}/resubmission", json=body)
        assert twice.status_code == 409 and twice.json()["error"]["code"] == "not_returned"

        async def listed():  # the claims view replaced the row, it did not choke on the key
            page = (await api.get(f"/members/{MEMBER}/claims")).json()
            return (
                page if page["total"] == 1 and page["claims"][0]["status"] == "approved" else None
            )

        page = await eventually(listed, timeout=10)
        assert page["claims"][0]["claimed"] == "6230.00"


async def test_a_return_takes_a_reason_of_the_list_and_one_without_reads_as_other(
    nats_url, sqlite_url, tmp_path
):
    """A reason outside the list is a 422 that names the list; an older client's return (a
    note, no code) is `other`; so is a return stored before returns had a code."""
    async with claims_service(nats_url, sqlite_url, tmp_path, lambda: date(2026, 4, 28)) as api:
        assert (await api.put("/plans/inpatient/years/2026", json=RULES)).status_code == 200
        first, second, third = [
            (await api.post("/claims", json=claim(f"INV-RR-{n}"))).json()["claim_id"]
            for n in (1, 2, 3)
        ]
        for code in ("over_cap", "illegible", ""):  # a rejection's code is no return reason
            body = {"code": code, "reason": "发票看不清"}
            refused = await api.post(f"/claims/{first}/return", json=body)
            assert refused.status_code == 422, refused.text
            error = refused.json()["error"]
            assert error["fields"][0]["field"] == "code"
            for allowed in ("missing_documents", "invoice_problem", "dates_problem", "other"):
                assert allowed in error["message"]
        assert (await api.get(f"/claims/{first}")).json()["status"] == "approved"  # untouched

        dated = {"code": "dates_problem", "reason": "出院日期应为 4 月 20 日"}
        assert (await api.post(f"/claims/{first}/return", json=dated)).status_code == 200
        shown = (await api.get(f"/claims/{first}")).json()
        assert (shown["returned_code"], shown["timeline"][-1]["code"]) == ("dates_problem",) * 2

        plain = await api.post(f"/claims/{second}/return", json={"reason": "请补交出院记录"})
        assert plain.status_code == 200, plain.text
        shown = (await api.get(f"/claims/{second}")).json()
        assert (shown["returned_code"], shown["returned_reason"]) == ("other", "请补交出院记录")

        # a log written before return reasons: `returned.v1` without a code
        store = api._transport.app.state.runtime.store
        data = {"reason": "缺分割单", "on": "2026-04-28", "actor": None}
        await store.append(
            f"claim-{third}", None, [NewEvent("union.claims.claim.returned.v1", data)]
        )
        shown = (await api.get(f"/claims/{third}")).json()
        assert (shown["status"], shown["returned_code"], shown["returned_reason"]) == (
            "returned",
            "other",
            "缺分割单",
        )
        assert (shown["timeline"][-1]["what"], shown["timeline"][-1]["code"]) == (
            "returned",
            "other",
        )


async def test_a_claim_shows_what_a_receipt_and_a_review_need(nats_url, sqlite_url, tmp_path):
    async with claims_service(nats_url, sqlite_url, tmp_path, lambda: date(2026, 5, 10)) as api:
        await api.put("/plans/inpatient/years/2026", json=RULES)
        clerk = bearer(tmp_path, "clerk", POINT, "clerk-li")
        officer = bearer(tmp_path, "district_officer", "zhoushan/dinghai", "officer-wang")
        filed = await api.post("/claims", json=claim("INV-RC-1", "60000.00"), headers=clerk)
        claim_id = filed.json()["claim_id"]
        assert filed.json()["status"] == "assessed"  # above the automatic threshold
        approved = await api.post(f"/claims/{claim_id}/approve", headers=officer)
        assert approved.status_code == 200, approved.text
        paid = await api.post(
            f"/claims/{claim_id}/payment", json={"service_point": POINT}, headers=clerk
        )
        assert paid.status_code == 200, paid.text
        shown = (await api.get(f"/claims/{claim_id}")).json()
        assert shown["invoices"] == [
            {
                "hospital": ZHOUSHAN_HOSPITAL,
                "number": "INV-RC-1",
                "amount": "60000.00",
                "issued_on": "2026-04-20",
            }
        ]
        assert (shown["admitted_on"], shown["discharged_on"]) == ("2026-04-10", "2026-04-20")
        assert shown["documents"] == ["settlement_statement", "discharge_record"]
        assert shown["benefit_breakdown"] == {
            "claimed": "60000.00",
            "deductible": "500.00",
            "reimbursable": "59500.00",
            "tiers": [
                {"amount": "5000.00", "ratio": "0.5", "paid": "2500.00"},
                {"amount": "54500.00", "ratio": "0.7", "paid": "38150.00"},
            ],
            "lump_sum": "0.00",
            "caps_applied": [{"cap": "per_claim", "limit": "30000.00", "reduced_by": "10650.00"}],
            "capped_by": "per_claim",
            "annual_cap": "50000.00",
            "used_before": "0.00",
            "benefit": "30000.00",
            "out_of_pocket": "30000.00",
        }
        assert shown["filed_by"] == {"subject": "clerk-li", "role": "clerk"}
        assert shown["approved_by"] == {"subject": "officer-wang", "role": "district_officer"}
        assert (shown["approving_officer"], shown["approved_automatically"]) == (
            "officer-wang",
            False,
        )
        assert shown["paid_by"] == {"subject": "clerk-li", "role": "clerk"}
        assert (shown["paid_at"], shown["paid_on"], shown["paid_amount"]) == (
            POINT,
            "2026-05-10",
            "30000.00",
        )
        assert (shown["paying_district"], shown["insuring_district"]) == (
            "zhoushan/dinghai",
            "zhoushan/dinghai",
        )
        assert [(s["what"], (s["by"] or {}).get("subject")) for s in shown["timeline"]] == [
            ("filed", "clerk-li"),
            ("assessed", None),
            ("approved", "officer-wang"),
            ("paid", "clerk-li"),
        ]

        # The next claim of the year: 20,000.00 left of the cap; the one after: nothing.
        second = await api.post("/claims", json=claim("INV-RC-2", "60000.00"), headers=clerk)
        second_id = second.json()["claim_id"]
        await api.post(f"/claims/{second_id}/approve", headers=officer)
        working = (await api.get(f"/claims/{second_id}")).json()["benefit_breakdown"]
        assert working["used_before"] == "30000.00" and working["benefit"] == "20000.00"
        assert working["caps_applied"][-1] == {
            "cap": "annual",
            "limit": "20000.00",
            "reduced_by": "10000.00",
        }
        third = await api.post("/claims", json=claim("INV-RC-3", "8000.00"), headers=clerk)
        rejected = (await api.get(f"/claims/{third.json()['claim_id']}")).json()
        assert (rejected["status"], rejected["rejection_code"]) == ("rejected", "over_cap")
        assert "annual cap of 50000.00" in rejected["rejection_reason"]
        assert "50000.00 used" in rejected["rejection_reason"]
        assert rejected["benefit"] is None and rejected["rejected_on"] == "2026-05-10"
        refused = await api.post(
            f"/claims/{third.json()['claim_id']}/payment",
            json={"service_point": POINT},
            headers=clerk,
        )
        assert refused.status_code == 409 and refused.json()["error"]["code"] == "not_approved"

        async def settled():
            report = (
                await api.get("/settlements", params={"from": "2026-05-01", "to": "2026-05-31"})
            ).json()
            return report if report["flows"] else None

        report = await eventually(settled, timeout=10)
        assert report["flows"][0]["claims"] == 1  # the capped claim is nowhere in it


async def test_a_discharge_today_in_beijing_is_not_in_the_future_at_16_30_utc_the_day_before(
    nats_url, sqlite_url, tmp_path, monkeypatch
):
    monkeypatch.setattr(
        union_events.clock, "utc_now", lambda: datetime(2026, 12, 1, 16, 30, tzinfo=UTC)
    )
    async with claims_service(nats_url, sqlite_url, tmp_path) as api:  # no test clock
        await api.put("/plans/inpatient/years/2026", json=RULES)
        stay = {"admitted_on": "2026-11-28", "discharged_on": "2026-12-02"}
        invoice = {"hospital": ZHOUSHAN_HOSPITAL, "number": "INV-TZ-1", "amount": "800.00"}
        today = claim("x") | stay | {"invoices": [invoice | {"issued_on": "2026-12-02"}]}
        filed = await api.post("/claims", json=today)
        assert filed.status_code == 202, filed.text  # was 422 date_in_future
        tomorrow = today | {"discharged_on": "2026-12-03"}
        tomorrow["invoices"] = [invoice | {"number": "INV-TZ-2", "issued_on": "2026-12-02"}]
        refused = await api.post("/claims", json=tomorrow)
        assert refused.status_code == 422 and refused.json()["error"]["code"] == "date_in_future"


@pytest.mark.parametrize(
    ("filed_on", "status"),
    [(date(2027, 3, 31), "approved"), (date(2027, 4, 1), "rejected")],
)
async def test_a_december_stay_is_claimed_under_its_year_until_the_year_closes(
    nats_url, sqlite_url, tmp_path, filed_on, status
):
    async with claims_service(nats_url, sqlite_url, tmp_path, lambda: filed_on) as api:
        rules = RULES | {"claims_close_on": "2027-03-31", "deadline_days": 120}
        saved = await api.put("/plans/inpatient/years/2026", json=rules)
        assert saved.status_code == 200 and saved.json()["claims_close_on"] == "2027-03-31"
        stay = {"admitted_on": "2026-12-28", "discharged_on": "2027-01-05"}
        invoices = [
            {
                "hospital": ZHOUSHAN_HOSPITAL,
                "number": "INV-DJ",
                "amount": "6230.00",
                "issued_on": "2027-01-05",
            }
        ]
        filed = await api.post("/claims", json=claim("x") | stay | {"invoices": invoices})
        assert filed.status_code == 202, filed.text
        shown = (await api.get(f"/claims/{filed.json()['claim_id']}")).json()
        assert (shown["status"], shown["year"]) == (status, 2026)  # the year of admission
        if status == "rejected":
            assert shown["rejection_code"] == "past_deadline"
            assert "closed on 2027-03-31" in shown["rejection_reason"]


async def test_without_rules_for_the_year_of_admission_a_claim_is_refused(
    nats_url, sqlite_url, tmp_path
):
    async with claims_service(nats_url, sqlite_url, tmp_path, lambda: date(2027, 1, 10)) as api:
        await api.put("/plans/inpatient/years/2027", json=RULES)  # the discharge year only
        stay = {"admitted_on": "2026-12-28", "discharged_on": "2027-01-05"}
        invoices = [
            {
                "hospital": ZHOUSHAN_HOSPITAL,
                "number": "INV-DJ2",
                "amount": "100.00",
                "issued_on": "2027-01-05",
            }
        ]
        refused = await api.post("/claims", json=claim("x") | stay | {"invoices": invoices})
        assert refused.status_code == 422
        assert refused.json()["error"]["code"] == "unknown_plan_year"
        assert "year of admission" in refused.json()["error"]["message"]


async def test_a_rejection_with_a_code_not_in_the_list_is_a_422_naming_the_codes(
    nats_url, sqlite_url, tmp_path
):
    """`POST /claims/{id}/reject` takes a rejection code from the one list: another code is
    refused with a reason a person reads (the field and the codes allowed), the claim untouched."""
    async with claims_service(nats_url, sqlite_url, tmp_path, lambda: date(2026, 4, 28)) as api:
        assert (await api.put("/plans/inpatient/years/2026", json=RULES)).status_code == 200
        filed = await api.post("/claims", json=claim("INV-RJ-1"))
        assert filed.status_code == 202, filed.text
        claim_id = filed.json()["claim_id"]
        body = {"reason": "材料遗失", "code": "lost_paperwork"}
        refused = await api.post(f"/claims/{claim_id}/reject", json=body)
        assert refused.status_code == 422, refused.text
        error = refused.json()["error"]
        assert error["code"] == "invalid_request"
        assert "code" in error["message"] and "not_enrolled" in error["message"], error
        assert "invalid_document" in error["message"], error
        assert [f["field"] for f in error["fields"]] == ["code"]
        shown = (await api.get(f"/claims/{claim_id}")).json()
        assert (shown["status"], shown["rejection_code"]) == ("approved", None)
        body["code"] = "invalid_document"
        rejected = await api.post(f"/claims/{claim_id}/reject", json=body)
        assert rejected.status_code == 200, rejected.text
        shown = (await api.get(f"/claims/{claim_id}")).json()
        assert (shown["status"], shown["rejection_code"]) == ("rejected", "invalid_document")
