"""Traffic for the contract tests: `unionctl demo`, then each service's other public events
over HTTP, so that every published event type goes over the wire at least once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from typer.testing import CliRunner
from union_events.clock import today as union_today
from union_events.testing.people import person as testing_person
from union_events.testing.waiting import eventually
from unionctl.cli import app as unionctl

DISTRICT = "zhoushan/dinghai"
STATION = f"{DISTRICT}/ferry-square"

Clients = dict[str, httpx.Client]


def ok(response: httpx.Response, *statuses: int) -> dict[str, Any]:
    assert response.status_code in (statuses or (200, 201, 202)), response.text
    body: dict[str, Any] = response.json()
    return body


def until(check: Callable[[], Any], what: str, timeout: float = 30.0) -> Any:
    """`eventually` for a blocking check (one HTTP call per try)."""
    return asyncio.run(eventually(lambda: asyncio.to_thread(check), timeout, message=what))


def person(n: int, unit: str) -> dict[str, str]:
    born, phone = date(1975, 1, 1 + n), f"136000000{n:02d}"
    return testing_person(11 + n, unit, born=born, name="钱勇", phone=phone)


def demo(base_port: int, data_dir: Path) -> None:
    """`unionctl demo` on the running platform."""
    where = ["--base-port", str(base_port), "--data-dir", str(data_dir)]
    result = CliRunner().invoke(unionctl, ["demo", *where], env={"COLUMNS": "220"})
    assert result.exit_code == 0, result.output


def run(base_port: int, data_dir: Path, clients: Clients) -> None:
    demo(base_port, data_dir)
    rest(clients)


def rest(clients: Clients) -> None:
    """Each service's public events the demo does not publish, over HTTP."""
    member_id = members(clients["members"])
    claims(clients["claims"], clients["members"], member_id)
    application_id = outreach(clients["outreach"], member_id)
    relief(clients["relief"], member_id, application_id)


def members(api: httpx.Client) -> str:
    """Registered, transferred, left, rejoined, erased; a campaign's sign-ups. Returns the id
    of a member who stays (in dinghai)."""
    member_id = ok(api.post("/members", json=person(1, f"{DISTRICT}/fishery-co")), 201)
    mover = ok(api.post("/members", json=person(2, f"{DISTRICT}/port-authority")), 201)
    path = f"/members/{mover['member_id']}"
    ok(api.post(f"{path}/transfer", json={"unit": "zhoushan/putuo/shipyard"}))
    ok(api.post(f"{path}/leave", json={"reason": "退休"}))
    ok(api.post(f"{path}/rejoin", json={"unit": "zhoushan/putuo/hospital"}))
    ok(api.delete(f"{path}/personal-data"))
    campaign = {"campaign_id": "riders-contract", "district": DISTRICT, "name": "骑手入会"}
    ok(api.post("/campaigns", json=campaign), 201)
    batch = {"signups": [person(3, f"{DISTRICT}/fishery-co")]}
    ok(api.post("/campaigns/riders-contract/signups", json=batch))
    return str(member_id["member_id"])


def claims(api: httpx.Client, members_api: httpx.Client, member_id: str) -> None:
    """A claim rejected by an officer, and one paid with an out-of-pocket cost above relief's
    major-illness threshold (50,000.00)."""
    year = union_today().year
    ok(members_api.post(f"/members/{member_id}/enrolments", json={"plan_id": "inpatient",
                                                                   "year": year}), 201)  # fmt: skip
    for n, action in enumerate(("reject", "pay")):
        today = union_today().isoformat()
        claim = {
            "member_id": member_id,
            "service_point": f"{DISTRICT}/center",
            "plan_id": "inpatient",
            "admitted_on": today,
            "discharged_on": today,
            "invoices": [{"hospital": "DH-001", "number": f"CONTRACT-{n}",
                          "amount": "90000.00", "issued_on": today}],
        }  # fmt: skip
        claim_id = ok(api.post("/claims", json=claim), 202)["claim_id"]

        def assessed(claim_id: str = claim_id) -> bool:
            return bool(ok(api.get(f"/claims/{claim_id}"))["status"] == "assessed")

        until(assessed, "the claim assessed once the enrolment is heard")
        if action == "reject":
            body = {"reason": "发票不符", "code": "duplicate_invoice"}
            ok(api.post(f"/claims/{claim_id}/reject", json=body))
        else:
            ok(api.post(f"/claims/{claim_id}/approve"))
            paid_at = {"service_point": f"{DISTRICT}/center"}
            ok(api.post(f"/claims/{claim_id}/payment", json=paid_at))


def outreach(api: httpx.Client, member_id: str) -> str:
    """A station, a session held with check-ins, intakes (hardship for relief, enrolment for
    members, wage arrears closed with an amount), a hand-out, the station closed. Returns the
    relief application drafted for the hardship intake."""
    today = union_today()
    point = {"point": STATION, "name": "渡口驿站", "kind": "station", "amenities": ["wifi"]}
    ok(api.post("/points", json=point), 201)
    session = {"point": STATION, "on": today.isoformat(), "services": ["legal_aid"]}
    session_id = ok(api.post("/sessions", json=session), 201)["session_id"]
    ok(api.post(f"/sessions/{session_id}/held", json={"staff": 3}))
    ok(api.post(f"/sessions/{session_id}/check-ins", json={"anonymous": 4}), 201)
    intakes = {}
    for kind in ("hardship", "union_enrolment", "wage_arrears"):
        intake = {"kind": kind, "channel": "station", "place": STATION, "summary": "求助"}
        intakes[kind] = ok(api.post("/intakes", json=intake), 201)["intake_id"]
    close = {"outcome": "wages_recovered", "amount": "3200.50"}
    ok(api.post(f"/intakes/{intakes['wage_arrears']}/close", json=close))
    campaign = {"campaign_id": "cool-contract", "name": "夏送清凉", "kind": "cooling_supplies",
                "stock": 5, "districts": [DISTRICT], "starts_on": today.isoformat(),
                "ends_on": today.isoformat()}  # fmt: skip
    ok(api.post("/campaigns", json=campaign), 201)
    hand_out = {"member_id": member_id, "point": STATION, "member_category": "outdoor_worker"}

    def handed_out() -> bool:  # once outreach heard of the member
        answer = api.post("/campaigns/cool-contract/hand-outs", json=hand_out)
        return answer.status_code == 201

    until(handed_out, "outreach hands out to the member")
    ok(api.put(f"/points/{STATION}/status", json={"open": False, "reason": "检修"}))

    def accepted() -> str | None:
        found = ok(api.get(f"/intakes/{intakes['hardship']}"))
        return found["reference"] if found["status"] == "accepted" else None

    return str(until(accepted, "relief drafts an application for the hardship intake"))


def relief(api: httpx.Client, member_id: str, application_id: str) -> None:
    """A hardship file (card issued, subsidy paid, card withdrawn), grants approved, disbursed
    and rejected, the hardship intake's draft given its recipient."""
    year, today = union_today().year, union_today()
    standard = {"district": DISTRICT, "amount": "770.00", "effective_from": f"{year}-01-01"}
    ok(api.post("/standards", json=standard), 201)
    hardship = {
        "member_id": member_id,
        "district": DISTRICT,
        "category": "deep",
        "household": [{"name": "钱勇", "relation": "self"}],
        "monthly_income": "600.00",
    }

    def opened() -> dict[str, Any] | None:  # once relief heard of the member
        response = api.post("/files", json=hardship)
        return response.json() if response.status_code == 201 else None

    file = until(opened, "relief opens the hardship file")
    budget = {"district": DISTRICT, "year": year, "kind": "education", "amount": "5000.00"}
    ok(api.put("/budgets", json=budget))
    grant = {"member_id": member_id, "district": DISTRICT, "kind": "education"}
    for outcome in ("disburse", "reject"):
        application = ok(api.post("/applications", json=grant | {"amount": "800.00"}), 201)
        path = f"/applications/{application['application_id']}"
        if outcome == "disburse":
            ok(api.post(f"{path}/approve", json={"amount": "750.00"}))
            ok(api.post(f"{path}/disburse"))
        else:
            ok(api.post(f"{path}/reject", json={"reason": "不符合条件"}))
    ok(api.put(f"/applications/{application_id}/recipient", json={"member_id": member_id}))
    ok(api.post("/subsidy-runs", json={"month": today.strftime("%Y-%m")}))
    ok(api.post(f"/files/{file['file_id']}/close", json={"reason": "脱困"}))
