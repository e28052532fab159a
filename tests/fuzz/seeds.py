"""A little data in each service before it is fuzzed, so that generated requests sometimes
name real resources (a member, a claim, a session...) and reach past the 404s and 403s.

Each seed makes its records as a city admin of zhoushan and returns the known values by the
name of the parameter or body field that may carry them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import requests
from members.domain.national_id import make_national_id

CITY, A = "zhoushan", "zhoushan/dinghai"
UNIT, CENTER, ROVING = f"{A}/u1", f"{A}/center", f"{A}/ferry-square"
Known = dict[str, list[Any]]
RULES = {
    "pooling": [{"level": "district", "effective_from": "2026-01-01"}],
    "deductible": "500.00",
    "tiers": [{"up_to": None, "ratio": "0.5"}],
    "per_claim_cap": "30000.00",
    "annual_cap": "90000.00",
    "deadline_days": 90,
    "auto_approve_below": "5000.00",
}


def ok(client: requests.Session, method: str, path: str, body: Any = None) -> dict[str, Any]:
    response = client.request(method, path, json=body)
    assert response.status_code < 300, (method, path, response.text)
    return response.json()  # type: ignore[no-any-return]


def days_ago(n: int) -> str:
    return (date.today() - timedelta(days=n)).isoformat()


def members(client: requests.Session) -> Known:
    orgs = [(CITY, "city"), (A, "district"), (UNIT, "unit"), (CENTER, "service_point")]
    for path, level in orgs:
        ok(client, "POST", "/orgs", {"path": path, "name": path, "level": level})
    person = {
        "national_id": make_national_id("330902", date(1990, 5, 17), 1),
        "name": "王小明",
        "phone": "13800000000",
        "unit": UNIT,
    }
    member_id = ok(client, "POST", "/members", person)["member_id"]
    ok(client, "POST", f"/members/{member_id}/enrolments", {"plan_id": "inpatient", "year": 2026})
    card_no = ok(client, "GET", f"/members/{member_id}").get("card_no")
    ok(client, "POST", "/campaigns", {"campaign_id": "qr", "district": A, "name": "扫码入会"})
    paths = [CITY, A, UNIT, CENTER]
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


def claims(client: requests.Session) -> Known:
    ok(client, "PUT", "/plans/inpatient/years/2026", RULES)
    member_id = "6f1c2a4e-0b1d-4c8e-9a52-3d7e1f0a9b21"  # not heard of here: its claim waits
    invoice = {"hospital": "舟山医院", "number": "INV-1", "amount": "3000.00"}
    claim = {
        "member_id": member_id,
        "service_point": CENTER,
        "plan_id": "inpatient",
        "admitted_on": days_ago(20),
        "discharged_on": days_ago(10),
        "invoices": [invoice | {"issued_on": days_ago(10)}],
    }
    claim_id = ok(client, "POST", "/claims", claim)["claim_id"]
    return {
        "plan_id": ["inpatient"],
        "year": [2026],
        "claim_id": [claim_id],
        "member_id": [member_id],
        "service_point": [CENTER],
    }


def relief(client: requests.Session) -> Known:
    standard = {"district": A, "amount": "770.00", "effective_from": "2026-01-01"}
    ok(client, "POST", "/standards", standard)
    budget = {"district": A, "year": 2026, "kind": "education", "amount": "90000.00"}
    ok(client, "PUT", "/budgets", budget)
    household = [{"name": "家人甲", "relation": "self"}, {"name": "家人乙", "relation": "spouse"}]
    body = {
        "member_id": "m1",
        "district": A,
        "category": "relative",
        "household": household,
        "monthly_income": "1000.00",
    }
    file_id = ok(client, "POST", "/files", body)["file_id"]
    application = {"member_id": "m1", "district": A, "kind": "education", "amount": "100.00"}
    application_id = ok(client, "POST", "/applications", application)["application_id"]
    return {
        "district": [A],
        "member_id": ["m1"],
        "file_id": [file_id],
        "application_id": [application_id],
        "year": [2026],
        "kind": ["education"],
    }


def outreach(client: requests.Session) -> Known:
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


SEEDS: dict[str, Callable[[requests.Session], Known]] = {
    "members": members,
    "claims": claims,
    "relief": relief,
    "outreach": outreach,
}
