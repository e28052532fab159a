"""Set-up that cross-service tests share: waiting until claims heard members' orgs, the city's
hospital registry claims files invoices against, a city-pooled plan year and a waiting claim."""

from __future__ import annotations

import uuid
from typing import Any

from .waiting import eventually

HOSPITAL = {"code": "ZS-001", "name": "舟山医院", "city": "zhoushan"}


async def claims_heard(claims: Any, *paths: str) -> None:
    """Until claims (an HTTP client of the claims service, with a city admin's token) has heard
    of each org from members over NATS, polled with a deadline; then the city's hospital
    `ZS-001` is registered."""

    async def known() -> bool:
        for path in paths:
            if (await claims.get(f"/orgs/{path}")).status_code != 200:
                return False
        return True

    await eventually(known, timeout=20, message="claims heard the orgs from members")
    hospital = {"name": HOSPITAL["name"], "city": HOSPITAL["city"]}
    registered = await claims.put(f"/hospitals/{HOSPITAL['code']}", json=hospital)
    assert registered.status_code == 200, registered.text


# A plan year pooled city-wide from 1 January 2026, one tier, generous caps: claims of members
# claims knows are assessed and approved automatically below 5,000.00.
CITY_POOLED_RULES = {
    "pooling": [{"level": "city", "effective_from": "2026-01-01"}],
    "deductible": "500.00",
    "tiers": [{"up_to": None, "ratio": "0.5"}],
    "per_claim_cap": "30000.00",
    "annual_cap": "1000000.00",
    "deadline_days": 3650,
    "auto_approve_below": "5000.00",
}


def waiting_claim(number: str, service_point: str) -> dict[str, Any]:
    """A claim of a member claims has not heard of: it is filed and waits (claim.filed);
    `number` is its invoice number (unique per claim)."""
    return {
        "member_id": str(uuid.uuid4()),
        "service_point": service_point,
        "plan_id": "inpatient",
        "admitted_on": "2026-03-01",
        "discharged_on": "2026-03-10",
        "invoices": [
            {"hospital": HOSPITAL["code"], "number": number, "amount": "3000.00",
             "issued_on": "2026-03-10"}
        ],
    }  # fmt: skip
