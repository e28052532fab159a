"""A little data in each service before it is fuzzed, so that generated requests sometimes
name real resources (a member, a claim, a session...) and reach past the 404s and 403s.

Each seed makes its records as a city admin of zhoushan and returns the known values by the
name of the parameter or body field that may carry them."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import requests
from union_events.clock import today as union_today
from union_events.testing.jetstream import publish_event
from union_events.testing.people import person
from union_events.testing.plans import DISTRICT_POOLING, claim, plan_rules
from union_events.testing.seeding import HOSPITAL, city_orgs

ORGS = city_orgs("dinghai")  # the city, district A, its unit and its service point
A = "zhoushan/dinghai"
UNIT, CENTER, ROVING = f"{A}/u1", f"{A}/center", f"{A}/ferry-square"
Known = dict[str, list[Any]]
RULES = plan_rules(pooling=DISTRICT_POOLING, annual_cap="90000.00", deadline_days=90)


def ok(client: requests.Session, method: str, path: str, body: Any = None) -> dict[str, Any]:
    response = client.request(method, path, json=body)
    assert response.status_code < 300, (method, path, response.text)
    return response.json()  # type: ignore[no-any-return]


def days_ago(n: int) -> str:
    return (union_today() - timedelta(days=n)).isoformat()


def plan_year_heard(client: requests.Session, nats_url: str, plan_id: str, year: int) -> None:
    """claims' `plan_year.set` on NATS (as claims would publish it), then wait (a deadline)
    until members knows the plan year: only then may a member be enrolled in it."""
    data = {"plan_id": plan_id, "year": year}
    set_ = "union.claims.plan_year.set.v1"
    asyncio.run(publish_event(nats_url, "/union/claims", f"plan-{plan_id}", set_, data))
    deadline = time.monotonic() + 20
    while client.get(f"/plan-years/{plan_id}/{year}").status_code != 200:
        assert time.monotonic() < deadline, f"members did not hear of {plan_id} {year}"
        time.sleep(0.05)  # polling with a deadline


def members(client: requests.Session, nats_url: str) -> Known:
    for path, level in ORGS:
        ok(client, "POST", "/orgs", {"path": path, "name": path, "level": level})
    body = person(1, UNIT, born=date(1990, 5, 17))
    member_id = ok(client, "POST", "/members", body)["member_id"]
    plan_year_heard(client, nats_url, "inpatient", 2026)
    ok(client, "POST", f"/members/{member_id}/enrolments", {"plan_id": "inpatient", "year": 2026})
    card_no = ok(client, "GET", f"/members/{member_id}").get("card_no")
    ok(client, "POST", "/campaigns", {"campaign_id": "qr", "district": A, "name": "扫码入会"})
    paths = [path for path, _ in ORGS]
    return {
        "path": paths,
        "parent": paths,
        "unit": [UNIT],
        "district": [A],
        "member_id": [member_id],
        "card_no": [card_no] if card_no else [],
        "campaign_id": ["qr"],
        "plan_id": ["inpatient"],
        "year": [2026],
    }


def registered_by_members(client: requests.Session, nats_url: str, path: str, level: str) -> None:
    """An org as members registers it: its `org.registered` event published on NATS as
    members' relay would; returns once the service (claims) has heard of it."""
    parent = path.rsplit("/", 1)[0] if "/" in path else None
    data = {"path": path, "name": path, "level": level, "parent": parent}
    registered = "union.members.org.registered.v1"
    asyncio.run(publish_event(nats_url, "/union/members", f"org-{path}", registered, data))
    deadline = time.monotonic() + 20  # polled with a deadline
    while client.get(f"/orgs/{path}").status_code != 200:
        assert time.monotonic() < deadline, f"the service never heard of {path}"
        time.sleep(0.05)


def claims(client: requests.Session, nats_url: str) -> Known:
    registered_by_members(client, nats_url, CENTER, "service_point")
    hospital = {"name": HOSPITAL["name"], "city": HOSPITAL["city"]}
    ok(client, "PUT", f"/hospitals/{HOSPITAL['code']}", hospital)
    ok(client, "PUT", "/plans/inpatient/years/2026", RULES)
    member_id = "6f1c2a4e-0b1d-4c8e-9a52-3d7e1f0a9b21"  # not heard of here: its claim waits
    days = {"admitted_on": days_ago(20), "discharged_on": days_ago(10)}
    body = claim(member_id, CENTER, "INV-1", "3000.00", **days)
    claim_id = ok(client, "POST", "/claims", body)["claim_id"]
    return {
        "plan_id": ["inpatient"],
        "year": [2026],
        "claim_id": [claim_id],
        "member_id": [member_id],
        "service_point": [CENTER],
        "path": [CENTER],
        "code": [HOSPITAL["code"]],
        "district": [A],
        "status": ["awaiting_eligibility", "awaiting_approval"],
    }


def relief_hears_of_a_member(client: requests.Session, nats_url: str) -> str:
    """Relief helps members it heard of: a `member.registered` on NATS, as members' relay
    sends it, then polled for (with a deadline) until relief knows the member."""
    member_id = str(uuid.uuid4())
    data = {
        "member_id": member_id, "unit": UNIT, "district": A, "joined_on": "2020-01-01",
        "channel": "clerk",
    }  # fmt: skip
    registered = "union.members.member.registered.v1"
    asyncio.run(publish_event(nats_url, "/union/members", f"member-{member_id}", registered, data))
    deadline = time.monotonic() + 20
    while client.get(f"/members/{member_id}").status_code != 200:
        assert time.monotonic() < deadline, "relief did not hear of the member"
        time.sleep(0.05)
    return member_id


def relief(client: requests.Session, nats_url: str) -> Known:
    member_id = relief_hears_of_a_member(client, nats_url)
    standard = {"district": A, "amount": "770.00", "effective_from": "2026-01-01"}
    ok(client, "POST", "/standards", standard)
    budget = {"district": A, "year": 2026, "kind": "education", "amount": "90000.00"}
    ok(client, "PUT", "/budgets", budget)
    household = [{"name": "家人甲", "relation": "self"}, {"name": "家人乙", "relation": "spouse"}]
    body = {
        "member_id": member_id,
        "district": A,
        "category": "relative",
        "household": household,
        "monthly_income": "1000.00",
    }
    file_id = ok(client, "POST", "/files", body)["file_id"]
    application = {"member_id": member_id, "district": A, "kind": "education", "amount": "100.00"}
    application_id = ok(client, "POST", "/applications", application)["application_id"]
    return {
        "district": [A],
        "member_id": [member_id],
        "file_id": [file_id],
        "application_id": [application_id],
        "year": [2026],
        "kind": ["education"],
    }


def outreach(client: requests.Session, nats_url: str) -> Known:
    point = {"point": ROVING, "name": "渡口广场", "kind": "roving_point"}
    ok(client, "POST", "/points", point)
    session = {"point": ROVING, "on": days_ago(3), "services": ["legal_aid"]}
    session_id = ok(client, "POST", "/sessions", session)["session_id"]
    intake = {"kind": "other", "channel": "online", "district": A, "summary": "咨询劳动合同"}
    intake_id = ok(client, "POST", "/intakes", intake)["intake_id"]
    campaign = {
        "campaign_id": "cool",
        "name": "夏送清凉",
        "kind": "cooling_supplies",
        "stock": 100,
        "starts_on": days_ago(30),
        "ends_on": days_ago(-30),
    }
    ok(client, "POST", "/campaigns", campaign)
    return {
        "point": [ROVING],
        "district": [A],
        "session_id": [session_id],
        "intake_id": [intake_id],
        "campaign_id": ["cool"],
    }


SEEDS: dict[str, Callable[[requests.Session, str], Known]] = {
    "members": members,
    "claims": claims,
    "relief": relief,
    "outreach": outreach,
}
