"""The authorization matrix: for each service, each mutating endpoint × each role × inside or
outside its jurisdiction, and missing / expired / forged / malformed tokens.

All four services run once for the module (real NATS, SQLite), on one data dir whose key pair
signs every token. Each case prepares its own resource as a city admin of zhoushan (a fresh
member, claim, file, session...) so the call under test, when authorized, is a 2xx. "Inside"
means the token's jurisdiction covers the resource (district A, `zhoushan/dinghai`; the city
for city-wide resources); "outside" is the same role in district B (`zhoushan/putuo`).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from claims.bootstrap import definition as claims_definition
from members.bootstrap import definition as members_definition
from outreach.bootstrap import definition as outreach_definition
from relief.bootstrap import definition as relief_definition
from union_events.embedded import NatsServer
from union_events.settings import ServiceSettings
from union_events.testing.http import service_client
from union_events.testing.people import person
from union_events.testing.plans import CITY_POOLING_FROM_MAY, plan_rules
from union_events.testing.plans import claim as claim_body
from union_events.testing.seeding import (
    city_orgs,
    enrol,
    plan_year_set,
    registered_member,
    seeded_city,
)
from union_events.testing.tokens import bearer, token
from union_events.testing.waiting import eventually

TODAY = date(2026, 6, 1)
CITY, A, B = "zhoushan", "zhoushan/dinghai", "zhoushan/putuo"
ROLES = ("city_admin", "district_officer", "clerk", "member", "service")
ADMIN, OFFICER, CLERK, SERVICE = "city_admin", "district_officer", "clerk", "service"
RULES = plan_rules(pooling=CITY_POOLING_FROM_MAY, annual_cap="9000000.00", deadline_days=90)


@dataclass
class Call:
    method: str
    path: str
    body: dict[str, Any] | None = None
    owner: str | None = None  # the member the resource belongs to


@dataclass
class Platform:
    data_dir: Path
    api: dict[str, httpx.AsyncClient]  # as a city admin of zhoushan
    member_id: str = ""  # enrolled in `inpatient` and `local` for 2026
    counter: itertools.count = field(default_factory=lambda: itertools.count(1))

    def n(self) -> int:
        return next(self.counter)

    async def ok(self, service: str, method: str, path: str, body: Any = None) -> dict:
        response = await self.api[service].request(method, path, json=body)
        assert response.status_code < 300, response.text
        return response.json()


@pytest.fixture(scope="module")
async def platform(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Platform]:
    root = tmp_path_factory.mktemp("matrix")
    extras = {"today": lambda: TODAY}
    with NatsServer(store_dir=root / "nats") as nats:
        settings = ServiceSettings(nats_url=nats.url, union_data_dir=root / "data")
        definitions = {
            "members": members_definition(),
            "claims": claims_definition(),
            "relief": relief_definition(),
            "outreach": outreach_definition(),
        }
        async with AsyncExitStack() as stack:
            api = {
                name: await stack.enter_async_context(service_client(d, settings, extras))
                for name, d in definitions.items()
            }
            p = Platform(root / "data", api)
            await seed(p)
            yield p


async def seed(p: Platform) -> None:
    """The city, districts A and B with units and service points, an enrolled member whose
    enrolments claims has heard, a relief standard and budget, an outreach station."""
    orgs = city_orgs("dinghai", "putuo", units=("u1", "u2"))
    await seeded_city(p.api["members"], p.api["claims"], orgs, timeout=30)
    p.member_id = await new_member(p)
    for plan, rules in (("inpatient", RULES), ("local", RULES | {"pooling": RULES["pooling"][:1]})):
        await plan_year_set(p.api["claims"], p.api["members"], rules, plan, timeout=30)
        await enrol(p.api["members"], p.member_id, plan)
    closed = RULES | {"enrolment_closes_on": "2026-01-01"}
    await p.ok("claims", "PUT", "/plans/closed/years/2026", closed)

    async def heard(plan: str) -> bool:
        filed = await p.ok("claims", "POST", "/claims", claim(p, plan=plan))
        return filed["status"] == "approved"

    for plan in ("inpatient", "local"):
        await eventually(lambda plan=plan: heard(plan), timeout=30, message="enrolments heard")
    await relief_knows(p, p.member_id)
    await p.ok("relief", "POST", "/standards", standard())
    await p.ok("relief", "PUT", "/budgets", budget())
    station = {"point": f"{A}/pier-station", "name": "码头驿站", "kind": "station"}
    await p.ok("outreach", "POST", "/points", station)

    async def outreach_heard() -> bool | None:  # outreach serves members it heard of only
        campaign = await benefit_campaign(p)
        await p.ok("outreach", "POST", "/campaigns", campaign.body)
        body = {"member_id": p.member_id, "point": f"{A}/pier-station", "member_category": "x"}
        path = f"/campaigns/{campaign.body['campaign_id']}/hand-outs"
        return True if (await p.api["outreach"].post(path, json=body)).is_success else None

    await eventually(outreach_heard, timeout=30, message="outreach heard of the member")


# ---- request bodies ---------------------------------------------------------------------


def enrolment(plan: str = "inpatient") -> dict:
    return {"plan_id": plan, "year": 2026}


async def new_member(p: Platform, unit: str = f"{A}/u1") -> str:
    n = p.n()
    return await registered_member(p.api["members"], n, unit, born=date(1980, 1, 1 + n % 28))


def claim(p: Platform, amount: str = "3000.00", plan: str = "inpatient") -> dict:
    number, days = f"INV-{p.n()}", {"admitted_on": "2026-05-10", "discharged_on": "2026-05-20"}
    return claim_body(p.member_id, f"{A}/center", number, amount, plan_id=plan, **days)


def standard() -> dict:
    return {"district": A, "amount": "770.00", "effective_from": "2026-01-01"}


def budget() -> dict:
    return {"district": A, "year": 2026, "kind": "education", "amount": "9000000.00"}


async def relief_knows(p: Platform, member_id: str) -> str:
    """Relief helps members it has heard of (from members' events): wait until it has."""

    async def heard() -> bool:
        return (await p.api["relief"].get(f"/members/{member_id}")).status_code == 200

    await eventually(heard, timeout=30, message=f"relief hears of {member_id}")
    return member_id


async def hardship_file(p: Platform) -> dict:
    """For a new member of A (one open file per member), once relief knows the member."""
    household = [{"name": "家人甲", "relation": "self"}, {"name": "家人乙", "relation": "spouse"}]
    return {
        "member_id": await relief_knows(p, await new_member(p)),
        "district": A,
        "category": "relative",
        "household": household,
        "monthly_income": "1000.00",  # under 1.3 × the standard a head: a card
    }


def application(p: Platform) -> dict:
    return {"member_id": p.member_id, "district": A, "kind": "education", "amount": "100.00"}


# ---- preparing each endpoint's resource (as the city admin) --------------------------------


async def members_org(p: Platform) -> Call:
    return Call("POST", "/orgs", {"path": f"{A}/u-{p.n()}", "name": "新单位", "level": "unit"})


async def members_register(p: Platform) -> Call:
    n = p.n()
    born = date(1985, 3, 1 + n % 28)
    body = person(n, f"{A}/u1", born=born, name="李四", phone="13900000000")
    return Call("POST", "/members", body)


async def rejoin(p: Platform) -> Call:
    member_id = await new_member(p)
    await p.ok("members", "POST", f"/members/{member_id}/leave", {"reason": "调离"})
    return Call("POST", f"/members/{member_id}/rejoin", {"unit": f"{A}/u2"}, owner=member_id)


def on_member(method: str, suffix: str, body: dict | None) -> Callable[[Platform], Awaitable[Call]]:
    async def prepare(p: Platform) -> Call:
        member_id = await new_member(p)
        return Call(method, f"/members/{member_id}{suffix}", body, owner=member_id)

    return prepare


async def signup_campaign(p: Platform) -> Call:
    return Call("POST", "/campaigns", {"campaign_id": f"qr-{p.n()}", "district": A, "name": "扫码"})


async def signups(p: Platform) -> Call:
    campaign = await signup_campaign(p)
    await p.ok("members", campaign.method, campaign.path, campaign.body)
    n = p.n()
    born = date(1990, 7, 1 + n % 28)
    signup = person(n, f"{A}/u1", born=born, name="赵六", phone="13700000000")
    return Call("POST", f"/campaigns/{campaign.body['campaign_id']}/signups", {"signups": [signup]})


async def plan_rules(p: Platform) -> Call:
    return Call("PUT", f"/plans/plan-{p.n()}/years/2026", RULES)


async def hospital(p: Platform) -> Call:
    return Call("PUT", f"/hospitals/H-{p.n()}", {"name": "定海医院", "city": CITY, "district": A})


async def sweep(p: Platform) -> Call:
    return Call("POST", "/plans/closed/years/2026/unenrolled-claims/rejection")


async def file_claim(p: Platform) -> Call:
    return Call("POST", "/claims", claim(p), owner=p.member_id)


def on_claim(suffix: str, body: dict | None, amount: str) -> Callable[[Platform], Awaitable[Call]]:
    """A claim filed in A for a member of A: assessed (above auto-approval) or approved."""

    async def prepare(p: Platform) -> Call:
        filed = await p.ok("claims", "POST", "/claims", claim(p, amount))
        assert filed["status"] in ("assessed", "approved"), filed
        return Call("POST", f"/claims/{filed['claim_id']}{suffix}", body, owner=p.member_id)

    return prepare


async def resubmission(p: Platform) -> Call:
    """A claim filed in A and returned for correction, resubmitted with a new invoice."""
    filed = await p.ok("claims", "POST", "/claims", claim(p, "20000.00"))
    await p.ok("claims", "POST", f"/claims/{filed['claim_id']}/return", {"reason": "缺分割单"})
    corrected = claim(p, "20000.00")
    body = {k: corrected[k] for k in ("admitted_on", "discharged_on", "invoices")}
    return Call("POST", f"/claims/{filed['claim_id']}/resubmission", body, owner=p.member_id)


async def relief_standard(p: Platform) -> Call:
    return Call("POST", "/standards", standard())


async def relief_budget(p: Platform) -> Call:
    return Call("PUT", "/budgets", budget())


async def open_file(p: Platform) -> Call:
    return Call("POST", "/files", await hardship_file(p))


def on_file(suffix: str, body: dict) -> Callable[[Platform], Awaitable[Call]]:
    async def prepare(p: Platform) -> Call:
        opened = await p.ok("relief", "POST", "/files", await hardship_file(p))
        assert opened["card"] is not None, opened
        return Call("POST", f"/files/{opened['file_id']}{suffix}", body)

    return prepare


async def apply(p: Platform) -> Call:
    return Call("POST", "/applications", application(p))


def on_application(suffix: str, body: dict | None, steps: tuple[str, ...] = ()):
    async def prepare(p: Platform) -> Call:
        applied = await p.ok("relief", "POST", "/applications", application(p))
        path = f"/applications/{applied['application_id']}"
        for step in steps:
            await p.ok("relief", "POST", f"{path}/{step}")
        return Call("POST", f"{path}{suffix}", body)

    return prepare


async def subsidy_run(p: Platform) -> Call:
    return Call("POST", "/subsidy-runs", {"month": "2026-06"})


async def register_point(p: Platform) -> Call:
    return Call("POST", "/points", {"point": f"{A}/p-{p.n()}", "name": "点", "kind": "station"})


async def point_status(p: Platform) -> Call:
    point = await register_point(p)
    await p.ok("outreach", "POST", "/points", point.body | {"kind": "roving_point"})
    return Call("PUT", f"/points/{point.body['point']}/status", {"open": False, "reason": "修缮"})


async def schedule_session(p: Platform) -> Call:
    point = await register_point(p)
    await p.ok("outreach", "POST", "/points", point.body | {"kind": "roving_point"})
    body = {"point": point.body["point"], "on": TODAY.isoformat(), "services": ["legal_aid"]}
    return Call("POST", "/sessions", body)


def on_session(suffix: str, body: dict, held: bool = False):
    async def prepare(p: Platform) -> Call:
        schedule = await schedule_session(p)
        session = await p.ok("outreach", "POST", "/sessions", schedule.body)
        path = f"/sessions/{session['session_id']}"
        if held:
            await p.ok("outreach", "POST", f"{path}/held", {"staff": 3})
        return Call("POST", f"{path}{suffix}", body)

    return prepare


INTAKE = {"kind": "other", "channel": "online", "district": A, "summary": "咨询劳动合同"}


async def record_intake(p: Platform) -> Call:
    return Call("POST", "/intakes", INTAKE)


async def close_intake(p: Platform) -> Call:
    intake = await p.ok("outreach", "POST", "/intakes", INTAKE)
    return Call("POST", f"/intakes/{intake['intake_id']}/close", {"outcome": "answered"})


async def benefit_campaign(p: Platform) -> Call:
    body = {
        "campaign_id": f"cool-{p.n()}",
        "name": "夏送清凉",
        "kind": "cooling_supplies",
        "stock": 100,
        "districts": [A],
        "starts_on": "2026-05-01",
        "ends_on": "2026-08-31",
    }
    return Call("POST", "/campaigns", body)


async def hand_out(p: Platform) -> Call:
    campaign = await benefit_campaign(p)
    await p.ok("outreach", "POST", "/campaigns", campaign.body)
    body = {
        "member_id": p.member_id,  # a member outreach heard of (a new campaign each time)
        "point": f"{A}/pier-station",
        "member_category": "outdoor_worker",
        "member_district": A,
    }
    return Call("POST", f"/campaigns/{campaign.body['campaign_id']}/hand-outs", body)


@dataclass(frozen=True)
class Endpoint:
    service: str
    name: str
    prepare: Callable[[Platform], Awaitable[Call]]
    allowed: frozenset[str]  # roles that may, inside their jurisdiction

    def __str__(self) -> str:
        return f"{self.service}:{self.name}"


def ep(service: str, name: str, prepare, *allowed: str) -> Endpoint:
    return Endpoint(service, name, prepare, frozenset(allowed))


STAFF = (ADMIN, OFFICER, CLERK)
ENDPOINTS = [
    ep("members", "POST /orgs", members_org, ADMIN, OFFICER),
    ep("members", "POST /members", members_register, *STAFF),
    ep("members", "POST transfer", on_member("POST", "/transfer", {"unit": f"{A}/u2"}), *STAFF),
    ep("members", "POST leave", on_member("POST", "/leave", {"reason": "退休"}), *STAFF),
    ep("members", "POST rejoin", rejoin, *STAFF),
    ep("members", "POST enrolments", on_member("POST", "/enrolments", enrolment()), *STAFF),
    ep("members", "DELETE personal-data", on_member("DELETE", "/personal-data", None), ADMIN,
       OFFICER),
    ep("members", "POST /campaigns", signup_campaign, ADMIN, OFFICER),
    ep("members", "POST signups", signups, *STAFF, SERVICE),
    ep("claims", "PUT rules", plan_rules, ADMIN),
    ep("claims", "POST unenrolled rejection", sweep, ADMIN, SERVICE),
    ep("claims", "PUT hospital", hospital, ADMIN),
    ep("claims", "POST /claims", file_claim, *STAFF),
    ep("claims", "POST approve", on_claim("/approve", None, "20000.00"), ADMIN, OFFICER),
    ep("claims", "POST reject", on_claim("/reject", {"reason": "材料不全"}, "20000.00"), ADMIN,
       OFFICER),
    ep("claims", "POST return", on_claim("/return", {"reason": "缺分割单"}, "20000.00"), ADMIN,
       OFFICER),
    ep("claims", "POST resubmission", resubmission, *STAFF),
    ep("claims", "POST payment", on_claim("/payment", {"service_point": f"{A}/center"},
                                          "3000.00"), *STAFF),
    ep("relief", "POST /standards", relief_standard, ADMIN, OFFICER),
    ep("relief", "POST /files", open_file, *STAFF),
    ep("relief", "POST review", on_file("/review", {"monthly_income": "1100.00"}), *STAFF),
    ep("relief", "POST close", on_file("/close", {"reason": "收入好转"}), *STAFF),
    ep("relief", "POST visits", on_file("/visits", {}), *STAFF),
    ep("relief", "PUT /budgets", relief_budget, ADMIN, OFFICER),
    ep("relief", "POST /applications", apply, *STAFF),
    ep("relief", "POST approve", on_application("/approve", None), ADMIN, OFFICER),
    ep("relief", "POST reject", on_application("/reject", {"reason": "重复申请"}), ADMIN, OFFICER),
    ep("relief", "POST disburse", on_application("/disburse", None, ("approve",)), *STAFF),
    ep("relief", "POST receipt", on_application("/receipt", None, ("approve", "disburse")),
       *STAFF),
    ep("relief", "POST /subsidy-runs", subsidy_run, ADMIN, SERVICE),
    ep("outreach", "POST /points", register_point, ADMIN, OFFICER),
    ep("outreach", "PUT point status", point_status, ADMIN, OFFICER),
    ep("outreach", "POST /sessions", schedule_session, *STAFF),
    ep("outreach", "POST held", on_session("/held", {"staff": 2}), *STAFF),
    ep("outreach", "POST cancel", on_session("/cancel", {"reason": "台风"}), *STAFF),
    ep("outreach", "POST check-ins", on_session("/check-ins", {"anonymous": 3}, held=True),
       *STAFF),
    ep("outreach", "POST /intakes", record_intake, *STAFF, SERVICE),
    ep("outreach", "POST intake close", close_intake, *STAFF, SERVICE),
    ep("outreach", "POST /campaigns", benefit_campaign, ADMIN, OFFICER),
    ep("outreach", "POST hand-outs", hand_out, *STAFF),
]  # fmt: skip
CITY_WIDE = {"claims:PUT rules", "claims:POST unenrolled rejection", "relief:POST /subsidy-runs"}


def jurisdiction(endpoint: Endpoint, role: str, inside: bool) -> str:
    if not inside:
        return f"{B}/u1" if role == "member" else B
    if role in (ADMIN, SERVICE) or str(endpoint) in CITY_WIDE:
        return CITY
    return f"{A}/u1" if role == "member" else A


async def call(p: Platform, endpoint: Endpoint, headers: dict[str, str]) -> httpx.Response:
    request = await endpoint.prepare(p)
    return await p.api[endpoint.service].request(
        request.method, request.path, json=request.body, headers=headers
    )


def refused(response: httpx.Response, status: int, codes: set[str]) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["message"], body
    assert body["error"]["code"] in codes, body


@pytest.mark.parametrize("inside", [True, False], ids=["inside", "outside"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
async def test_each_role_inside_and_outside_its_jurisdiction(
    platform: Platform, endpoint: Endpoint, role: str, inside: bool
) -> None:
    request = await endpoint.prepare(platform)
    org = jurisdiction(endpoint, role, inside)
    owner = request.owner if inside and role == "member" else None  # the member's own record
    headers = {"Authorization": f"Bearer {token(platform.data_dir, role, org, subject=owner)}"}
    response = await platform.api[endpoint.service].request(
        request.method, request.path, json=request.body, headers=headers
    )
    if inside and role in endpoint.allowed:
        assert 200 <= response.status_code < 300, response.text
    elif role not in endpoint.allowed:
        refused(response, 403, {"forbidden_role"})
    else:
        refused(response, 403, {"outside_jurisdiction"})


BAD_TOKENS = ["missing", "expired", "forged", "malformed"]


def bad_token(kind: str, data_dir: Path) -> tuple[dict[str, str], str]:
    if kind == "missing":
        return {"Authorization": ""}, "unauthenticated"
    if kind == "expired":
        old = int(time.time()) - 9 * 3600
        return {"Authorization": f"Bearer {token(data_dir, now=old)}"}, "token_expired"
    if kind == "forged":  # a city admin's token signed with another key
        return bearer(data_dir.parent / "another-key"), "invalid_token"
    return {"Authorization": "Bearer eyJhbGciOiJFZERTQSJ9.e30.bm9wZQ"}, "invalid_token"


@pytest.mark.parametrize("kind", BAD_TOKENS)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
async def test_without_a_valid_token_every_mutating_endpoint_is_a_401(
    platform: Platform, endpoint: Endpoint, kind: str
) -> None:
    headers, code = bad_token(kind, platform.data_dir)
    response = await call(platform, endpoint, headers)
    refused(response, 401, {code})
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


# ---- the exceptions the domain allows, and reads ------------------------------------------


def as_(p: Platform, role: str, org: str, subject: str | None = None) -> dict[str, str]:
    return bearer(p.data_dir, role, org, subject=subject)


async def test_a_b_clerk_pays_an_a_claim_at_a_b_point_only_where_the_plan_pools_at_city_level(
    platform: Platform,
) -> None:
    b_clerk = as_(platform, CLERK, B)
    at_b = {"service_point": f"{B}/center"}
    for plan, status, code in (("inpatient", 200, None), ("local", 403, "pooling_forbids")):
        filed = await platform.ok("claims", "POST", "/claims", claim(platform, plan=plan))
        claim_id = filed["claim_id"]
        read = await platform.api["claims"].get(f"/claims/{claim_id}", headers=b_clerk)
        assert read.status_code == (200 if plan == "inpatient" else 403), read.text
        paid = await platform.api["claims"].post(
            f"/claims/{claim_id}/payment", json=at_b, headers=b_clerk
        )
        assert paid.status_code == status, paid.text
        if code:
            assert paid.json()["error"]["code"] == code
        else:
            assert paid.json()["paying_district"] == B


async def test_a_b_clerk_files_at_a_b_point_for_an_a_member_but_not_at_an_a_point(
    platform: Platform,
) -> None:
    b_clerk = as_(platform, CLERK, B)
    at_b = claim(platform) | {"service_point": f"{B}/center"}
    assert (await platform.api["claims"].post("/claims", json=at_b, headers=b_clerk)).is_success
    at_a = await platform.api["claims"].post("/claims", json=claim(platform), headers=b_clerk)
    refused(at_a, 403, {"outside_jurisdiction"})


async def test_a_member_reads_only_their_own_records(platform: Platform) -> None:
    me = platform.member_id
    other = await new_member(platform)
    mine = as_(platform, "member", f"{A}/u1", subject=me)
    members, claims = platform.api["members"], platform.api["claims"]
    assert (await members.get(f"/members/{me}", headers=mine)).status_code == 200
    refused(await members.get(f"/members/{other}", headers=mine), 403, {"not_own_record"})
    filed = await platform.ok("claims", "POST", "/claims", claim(platform))
    assert (await claims.get(f"/claims/{filed['claim_id']}", headers=mine)).status_code == 200
    assert (await claims.get(f"/members/{me}/claims", headers=mine)).status_code == 200
    refused(await claims.get(f"/members/{other}/claims", headers=mine), 403, {"not_own_record"})
    refused(await members.get("/members", params={"unit": f"{A}/u1"}, headers=mine), 403,
            {"not_own_record"})  # fmt: skip


async def test_a_b_clerk_may_not_read_an_a_hardship_file(platform: Platform) -> None:
    opened = await platform.ok("relief", "POST", "/files", await hardship_file(platform))
    path = f"/files/{opened['file_id']}"
    refused(await platform.api["relief"].get(path, headers=as_(platform, CLERK, B)), 403,
            {"outside_jurisdiction"})  # fmt: skip
    assert (await platform.api["relief"].get(path, headers=as_(platform, CLERK, A))).is_success


async def test_another_city_s_admin_is_outside_every_district_of_this_one(
    platform: Platform,
) -> None:
    ningbo = as_(platform, ADMIN, "ningbo")
    request = await members_register(platform)
    response = await platform.api["members"].post("/members", json=request.body, headers=ningbo)
    refused(response, 403, {"outside_jurisdiction"})


async def test_health_readiness_metrics_and_docs_need_no_token(platform: Platform) -> None:
    for client in platform.api.values():
        for path in (
            "/healthz", "/readyz", "/metrics", "/openapi.json", "/docs", "/redoc",
            "/asyncapi.json", "/asyncapi",
        ):  # fmt: skip
            response = await client.get(path, headers={"Authorization": ""})
            assert response.status_code == 200, (path, response.text)
