"""Bad input over HTTP is a 422 with the contract's body, never a 500 from the database."""

from __future__ import annotations

import pytest
from union_events.testing.plans import DISTRICT_POOLING, plan_rules

RULES = plan_rules(pooling=DISTRICT_POOLING, annual_cap="90000.00", deadline_days=90)
HUGE = 10**17  # page × size, or a year, past what an SQL INTEGER / BIGINT holds


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PUT", f"/plans/inpatient/years/{HUGE}", RULES),
        ("PUT", "/plans/inpatient/years/0", RULES),
        ("POST", f"/plans/inpatient/years/{HUGE}/unenrolled-claims/rejection", None),
        ("GET", f"/claims?service_point=zhoushan/dinghai/center&page={HUGE}", None),
        ("GET", f"/members/m1/claims?page={HUGE}", None),
    ],
)
async def test_numbers_out_of_range_are_a_422(api, method, path, body):
    # The OpenAPI fuzzer (tests/fuzz) found such numbers overflowing SQLite in outreach.
    response = await api.request(method, path, json=body)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "invalid_request"


async def test_a_plan_year_in_range_is_accepted(api):
    response = await api.put("/plans/inpatient/years/2026", json=RULES)
    assert response.status_code == 200, response.text
