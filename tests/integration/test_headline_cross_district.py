"""The headline: a member of district A, a claim filed in district B, paid in district C under
city pooling — and refused there before the pooling date. Two services, over NATS only."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from datetime import date
from decimal import Decimal

import pytest
from claims.bootstrap import definition as claims_definition
from members.bootstrap import definition as members_definition
from union_events.embedded import NatsServer
from union_events.settings import ServiceSettings
from union_events.testing.http import service_client
from union_events.testing.plans import (
    CITY_POOLING_FROM_MAY,
    HOSPITAL_CODE,
    TWO_TIERS,
    plan_rules,
)
from union_events.testing.plans import claim as claim_body
from union_events.testing.seeding import (
    city_orgs,
    claims_heard_enrolment,
    enrol,
    orgs_heard,
    plan_year_heard,
    registered_member,
    seeded_city,
)
from union_events.testing.waiting import eventually

HOSPITAL = HOSPITAL_CODE  # 舟山医院 in the city's hospital registry
UNIT = "zhoushan/dinghai/u1"
RULES = plan_rules(
    pooling=CITY_POOLING_FROM_MAY, tiers=TWO_TIERS, annual_cap="50000.00", deadline_days=90
)


async def enrolled_member(members, n: int) -> str:
    """A member of zhoushan/dinghai/u1 enrolled in inpatient 2026 (claims set its rules)."""
    await plan_year_heard(members)
    member_id = await registered_member(members, n, UNIT, born=date(1980, 2, 2))
    await enrol(members, member_id)
    return member_id


def claim(member_id: str, invoice: str) -> dict:
    return claim_body(member_id, "zhoushan/putuo/center", invoice, "6230.00")


@pytest.fixture
def nats_url(tmp_path):
    """A NATS of this test's own: the services' durable consumers start from scratch (a
    consumer stopped mid-fetch leaves messages in flight until JetStream's ack wait)."""
    with NatsServer(store_dir=tmp_path / "nats") as server:
        yield server.url


@asynccontextmanager
async def members_and_claims(nats_url, tmp_path, today, database_url=None):
    """Both services on one NATS, each with its own database (claims' may be PostgreSQL)."""
    extras = {"today": today}
    m_settings = ServiceSettings(nats_url=nats_url, union_data_dir=tmp_path / "members")
    c_settings = ServiceSettings(
        nats_url=nats_url, union_data_dir=tmp_path / "claims", database_url=database_url or ""
    )
    async with (
        service_client(members_definition(), m_settings, extras) as members,
        service_client(claims_definition(), c_settings, extras) as claims,
    ):
        await seeded_city(members, claims, city_orgs("dinghai", "putuo", "shengsi"))
        yield members, claims


async def test_a_claim_filed_in_b_is_paid_in_c_on_behalf_of_a_under_city_pooling(
    nats_url, tmp_path, database_url
):
    clock = {"today": date(2026, 4, 28)}
    async with members_and_claims(nats_url, tmp_path, lambda: clock["today"], database_url) as (
        members,
        claims,
    ):
        assert (await claims.put("/plans/inpatient/years/2026", json=RULES)).status_code == 200
        member_id = await enrolled_member(members, 1)
        filed = await claims.post("/claims", json=claim(member_id, "INV-0001"))
        assert filed.status_code == 202
        claim_id = filed.json()["claim_id"]

        async def approved():
            body = (await claims.get(f"/claims/{claim_id}")).json()
            return body if body["status"] == "approved" else None

        body = await eventually(approved, timeout=20)  # waits for the enrolment over NATS
        assert (body["benefit"], body["insuring_district"]) == ("3011.00", "zhoushan/dinghai")

        before = await claims.post(
            f"/claims/{claim_id}/payment", json={"service_point": "zhoushan/shengsi/center"}
        )
        assert before.status_code == 403
        assert before.json()["error"]["code"] == "pooling_forbids"

        clock["today"] = date(2026, 5, 2)
        paid = await claims.post(
            f"/claims/{claim_id}/payment", json={"service_point": "zhoushan/shengsi/center"}
        )
        assert paid.status_code == 200
        assert paid.json()["status"] == "paid"
        assert paid.json()["paying_district"] == "zhoushan/shengsi"

        async def settled():
            report = (
                await claims.get("/settlements", params={"from": "2026-05-01", "to": "2026-05-31"})
            ).json()
            return report if report["flows"] else None

        report = await eventually(settled, timeout=10)
        assert report["flows"] == [
            {
                "paying_district": "zhoushan/shengsi",
                "insuring_district": "zhoushan/dinghai",
                "claims": 1,
                "amount": "3011.00",
            }
        ]

        async def paid_there():  # the claims view, eventually consistent
            page = await claims.get(
                "/claims", params={"service_point": "zhoushan/shengsi/center", "role": "paid"}
            )
            return page.json() if page.json()["total"] == 1 else None

        assert (await eventually(paid_there))["claims"][0]["benefit"] == "3011.00"
        by_member = (await claims.get(f"/members/{member_id}/claims")).json()
        assert [c["claim_id"] for c in by_member["claims"]] == [claim_id]
        report_params = {"from": "2026-04-01", "to": "2026-05-31"}
        figures = {
            r["district"]: r
            for r in (await claims.get("/reports/districts", params=report_params)).json()
        }
        assert figures["zhoushan/putuo"]["filed"] == 1
        shengsi = figures["zhoushan/shengsi"]
        assert (shengsi["paid"], shengsi["paid_amount"]) == (1, "3011.00")
        assert figures["zhoushan/dinghai"]["insured_amount"] == "3011.00"
        assert {b["district"]: b["net"] for b in report["balances"]} == {
            "zhoushan/dinghai": "-3011.00",
            "zhoushan/shengsi": "3011.00",
        }


async def test_fifty_concurrent_payments_of_one_claim_pay_it_once(nats_url, tmp_path, database_url):
    clock = {"today": date(2026, 5, 10)}
    async with members_and_claims(nats_url, tmp_path, lambda: clock["today"], database_url) as (
        members,
        claims,
    ):
        await claims.put("/plans/inpatient/years/2026", json=RULES | {"deadline_days": 120})
        member_id = await enrolled_member(members, 2)
        claim_id = (await claims.post("/claims", json=claim(member_id, "INV-0050"))).json()[
            "claim_id"
        ]

        async def approved():
            return (await claims.get(f"/claims/{claim_id}")).json()["status"] == "approved"

        await eventually(approved, timeout=20)
        points = [f"zhoushan/{d}/center" for d in ("dinghai", "putuo", "shengsi")]
        attempts = [
            claims.post(f"/claims/{claim_id}/payment", json={"service_point": points[i % 3]})
            for i in range(50)
        ]
        responses = await asyncio.gather(*attempts)
        codes = sorted(r.status_code for r in responses)
        assert codes == [200] + [409] * 49
        runtime = claims._transport.app.state.runtime
        paid = [
            e
            for e in await runtime.store.read_stream(f"claim-{claim_id}")
            if e.type == "union.claims.claim.paid.v1"
        ]
        assert len(paid) == 1


async def test_an_invoice_filed_at_two_districts_at_once_is_claimed_once(
    nats_url, tmp_path, database_url
):
    async with members_and_claims(nats_url, tmp_path, lambda: date(2026, 4, 28), database_url) as (
        members,
        claims,
    ):
        await claims.put("/plans/inpatient/years/2026", json=RULES)
        member_id = await enrolled_member(members, 3)
        at_putuo = claim(member_id, "INV-7777")
        at_shengsi = at_putuo | {"service_point": "zhoushan/shengsi/center"}
        responses = await asyncio.gather(
            claims.post("/claims", json=at_putuo), claims.post("/claims", json=at_shengsi)
        )
        assert sorted(r.status_code for r in responses) == [202, 409]
        refused = next(r for r in responses if r.status_code == 409)
        accepted = next(r for r in responses if r.status_code == 202)
        error = refused.json()["error"]
        assert error["code"] == "duplicate_invoice"
        assert (error["hospital"], error["number"]) == (HOSPITAL, "INV-7777")
        assert error["held_by"] == accepted.json()["claim_id"]  # the claim holding it


async def test_concurrent_claims_of_one_member_never_pass_the_annual_cap(
    nats_url, tmp_path, database_url
):
    async with members_and_claims(nats_url, tmp_path, lambda: date(2026, 4, 28), database_url) as (
        members,
        claims,
    ):
        tight = RULES | {"per_claim_cap": "3011.00", "annual_cap": "10000.00"}
        assert (await claims.put("/plans/inpatient/years/2026", json=tight)).status_code == 200
        member_id = await enrolled_member(members, 4)

        runtime = claims._transport.app.state.runtime
        await claims_heard_enrolment(claims, member_id)  # every claim below is assessed at once
        filings = [claims.post("/claims", json=claim(member_id, f"INV-CAP-{i}")) for i in range(8)]
        responses = await asyncio.gather(*filings)
        assert all(r.status_code == 202 for r in responses), [r.text for r in responses]
        benefits = []
        for r in responses:
            body = (await claims.get(f"/claims/{r.json()['claim_id']}")).json()
            benefits.append(Decimal(body["benefit"] or "0"))
        usage = await runtime.store.read_stream(f"usage-{member_id}-inpatient-2026")
        reserved = sum(Decimal(e.data["amount"]) for e in usage)
        assert sum(benefits) == reserved == Decimal("10000.00")  # 3 × 3011.00 + 967.00, no more
        assert sorted(benefits)[-4:] == [Decimal("967.00")] + [Decimal("3011.00")] * 3


async def test_a_rejected_claim_gives_its_benefit_back_and_a_returned_one_waits(nats_url, tmp_path):
    async with members_and_claims(nats_url, tmp_path, lambda: date(2026, 4, 28)) as (
        members,
        claims,
    ):
        await claims.put("/plans/inpatient/years/2026", json=RULES)
        member_id = await enrolled_member(members, 5)
        first = (await claims.post("/claims", json=claim(member_id, "INV-R1"))).json()["claim_id"]
        second = (await claims.post("/claims", json=claim(member_id, "INV-R2"))).json()["claim_id"]

        async def assessed(claim_id):
            return (await claims.get(f"/claims/{claim_id}")).json()["benefit"] is not None

        await eventually(lambda: assessed(first), timeout=20)
        rejected = await claims.post(
            f"/claims/{first}/reject",
            json={"reason": "invoice is a copy", "code": "invalid_document"},
        )
        assert rejected.status_code == 200
        assert (rejected.json()["status"], rejected.json()["rejection_code"]) == (
            "rejected",
            "invalid_document",
        )
        runtime = claims._transport.app.state.runtime
        usage = await runtime.store.read_stream(f"usage-{member_id}-inpatient-2026")
        types = [e.type.split(".")[-2] for e in usage if e.data["claim_id"] == first]
        assert types == ["reserved", "released"]
        returned = await claims.post(f"/claims/{second}/return", json={"reason": "需要分割单"})
        assert returned.status_code == 200 and returned.json()["status"] == "returned"
        paying = await claims.post(
            f"/claims/{first}/payment", json={"service_point": "zhoushan/dinghai/center"}
        )
        assert paying.status_code == 409


async def test_claims_are_filed_and_paid_only_at_service_points_members_registered(
    nats_url, tmp_path
):
    async with members_and_claims(nats_url, tmp_path, lambda: date(2026, 4, 28)) as (
        members,
        claims,
    ):
        await claims.put("/plans/inpatient/years/2026", json=RULES)
        member_id = await enrolled_member(members, 12)
        for point, code in (
            ("zhoushan/madeup/nowhere", "unknown_service_point"),
            ("zhoushan/dinghai/u1", "not_a_service_point"),  # a unit
        ):
            refused = await claims.post(
                "/claims", json=claim(member_id, "INV-P1") | {"service_point": point}
            )
            assert refused.status_code == 422, refused.text
            assert refused.json()["error"]["code"] == code
            assert point in refused.json()["error"]["message"]
        pier = {"path": "zhoushan/dinghai/pier", "name": "码头服务点", "level": "service_point"}
        assert (await members.post("/orgs", json=pier)).status_code == 201
        await orgs_heard(claims, pier["path"])  # members registered it: claims hears it over NATS
        filed = await claims.post(
            "/claims", json=claim(member_id, "INV-P1") | {"service_point": pier["path"]}
        )
        assert filed.status_code == 202, filed.text
        claim_id = filed.json()["claim_id"]

        async def approved():
            return (await claims.get(f"/claims/{claim_id}")).json()["status"] == "approved"

        await eventually(approved, timeout=20)
        at_unit = await claims.post(
            f"/claims/{claim_id}/payment", json={"service_point": "zhoushan/dinghai/u1"}
        )
        assert at_unit.status_code == 422
        assert at_unit.json()["error"]["code"] == "not_a_service_point"
        paid = await claims.post(
            f"/claims/{claim_id}/payment", json={"service_point": pier["path"]}
        )
        assert paid.status_code == 200, paid.text
        assert paid.json()["paid_at"] == pier["path"]


async def test_bad_claims_get_a_4xx_with_a_clear_message(nats_url, tmp_path):
    async with members_and_claims(nats_url, tmp_path, lambda: date(2026, 4, 28)) as (_, claims):
        await claims.put("/plans/inpatient/years/2026", json=RULES)
        good = claim("3f0c2f4e-6a43-4e0b-9a51-3f6f1c9a2b10", "INV-BAD")
        invoice = good["invoices"][0]
        cases = {
            "negative amount": good | {"invoices": [invoice | {"amount": "-10.00"}]},
            "float amount": good | {"invoices": [invoice | {"amount": 3011.5}]},
            "unknown member": good | {"member_id": "not a member id"},
            "unknown plan": good | {"plan_id": "dental"},
            "discharge before admission": good | {"discharged_on": "2026-04-01"},
            "empty invoices": good | {"invoices": []},
        }
        for case, body in cases.items():
            response = await claims.post("/claims", json=body)
            assert 400 <= response.status_code < 500, (case, response.text)
            assert response.json()["error"]["message"], case
        unknown_plan = (await claims.post("/claims", json=cases["unknown plan"])).json()
        assert unknown_plan["error"]["code"] == "unknown_plan_year"
        backwards = (await claims.post("/claims", json=cases["discharge before admission"])).json()
        assert backwards["error"]["code"] == "discharged_before_admitted"


async def test_once_enrolment_closed_waiting_claims_are_rejected_as_not_enrolled(
    nats_url, tmp_path
):
    days = [date(2026, 4, 28)]
    async with members_and_claims(nats_url, tmp_path, lambda: days[0]) as (members, claims):
        rules = {**RULES, "enrolment_closes_on": "2026-04-30"}
        assert (await claims.put("/plans/inpatient/years/2026", json=rules)).status_code == 200
        never_enrolled = await registered_member(
            members, 9, UNIT, born=date(1981, 3, 3), name="林海", phone="13600000001"
        )
        enrolled = await enrolled_member(members, 10)
        waiting = await claims.post("/claims", json=claim(never_enrolled, "INV-W1"))
        assert waiting.json()["status"] == "awaiting_eligibility"
        sweep = "/plans/inpatient/years/2026/unenrolled-claims/rejection"
        still_open = await claims.post(sweep)
        assert still_open.status_code == 409
        assert still_open.json()["error"]["code"] == "enrolment_open"
        await claims_heard_enrolment(claims, enrolled)
        days[0] = date(2026, 5, 2)  # the window has closed

        async def in_view():
            return (await claims.get(f"/members/{never_enrolled}/claims")).json()["total"] == 1

        await eventually(in_view, timeout=20)
        swept = await claims.post(sweep)
        assert swept.status_code == 200 and swept.json() == {"rejected": 1, "assessed": 0}
        claim_id = waiting.json()["claim_id"]
        rejected = (await claims.get(f"/claims/{claim_id}")).json()
        assert (rejected["status"], rejected["rejection_code"]) == ("rejected", "not_enrolled")
        late = await claims.post("/claims", json=claim(never_enrolled, "INV-W2"))
        assert late.json()["status"] == "rejected"  # it no longer waits
        on_time = await claims.post("/claims", json=claim(enrolled, "INV-E1"))
        assert on_time.json()["status"] == "approved"  # enrolled: the closing changes nothing
