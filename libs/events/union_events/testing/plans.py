"""Claims' plan rules and claim bodies for tests.

`plan_rules()` is a plan year pooled city-wide from 1 January 2026, one tier at 0.5, generous
caps: claims below 5,000.00 of members claims knows are assessed and approved at once. A test
names only what it changes: `plan_rules(annual_cap="50000.00", deadline_days=90)`.
"""

from __future__ import annotations

import copy
from typing import Any

CITY_POOLING = [{"level": "city", "effective_from": "2026-01-01"}]
DISTRICT_POOLING = [{"level": "district", "effective_from": "2026-01-01"}]
# District pooling until 30 April 2026, city pooling from 1 May: the headline's rule change.
CITY_POOLING_FROM_MAY = [*DISTRICT_POOLING, {"level": "city", "effective_from": "2026-05-01"}]
ONE_TIER = [{"up_to": None, "ratio": "0.5"}]
TWO_TIERS = [{"up_to": "5000.00", "ratio": "0.5"}, {"up_to": None, "ratio": "0.7"}]
HOSPITAL_CODE = "ZS-001"  # 舟山医院 in the city's hospital registry (seeding.HOSPITAL)


def plan_rules(**changes: Any) -> dict[str, Any]:
    """The body of `PUT /plans/{plan_id}/years/{year}`: the defaults above with `changes`
    (a copy: changing it changes no other test's rules)."""
    rules = {
        "pooling": CITY_POOLING,
        "deductible": "500.00",
        "tiers": ONE_TIER,
        "per_claim_cap": "30000.00",
        "annual_cap": "1000000.00",
        "deadline_days": 3650,
        "auto_approve_below": "5000.00",
    }
    return copy.deepcopy(rules | changes)


def claim(
    member_id: str,
    service_point: str,
    number: str,
    amount: str = "3000.00",
    *,
    admitted_on: str = "2026-04-10",
    discharged_on: str = "2026-04-20",
    plan_id: str = "inpatient",
) -> dict[str, Any]:
    """The body of `POST /claims`: one invoice of the city's hospital, `number` (unique per
    claim) for `amount`, issued on the day of discharge."""
    invoice = {"hospital": HOSPITAL_CODE, "number": number, "amount": amount}
    return {
        "member_id": member_id,
        "service_point": service_point,
        "plan_id": plan_id,
        "admitted_on": admitted_on,
        "discharged_on": discharged_on,
        "invoices": [invoice | {"issued_on": discharged_on}],
    }
