"""What leaves the claims service validates against the published contracts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from claims.domain import codec
from claims.domain.events import (
    ClaimApproved,
    ClaimAssessed,
    ClaimPaid,
    ClaimRejected,
    ClaimReturned,
    EligibilityAwaited,
)
from claims.public import public_view
from union_events.published.claims import registry

from .history import FILED

DAY = date(2026, 5, 2)
D = Decimal
SHOWN = [
    FILED,
    ClaimAssessed(
        D("3011.00"),
        D("6230.00"),
        D("3219.00"),
        D("500.00"),
        None,
        "zhoushan/dinghai",
        False,
        DAY,
        "m1",
        "inpatient",
        2026,
    ),
    ClaimApproved("auto", True, DAY),
    ClaimPaid(
        "zhoushan/shengsi/center",
        "zhoushan/shengsi",
        "zhoushan/dinghai",
        D("3011.00"),
        DAY,
        "m1",
        "inpatient",
        2026,
        D("6230.00"),
        D("3219.00"),
    ),
    ClaimRejected("other", "the clerk's note about 王先生", DAY),
]


@pytest.mark.parametrize("event", SHOWN)
def test_a_published_claim_event_validates_against_its_contract(event):
    shown = public_view("claim-c1", *codec.encode(event))
    assert shown is not None
    payload = registry.parse(*shown)
    assert payload.claim_id == "c1"  # type: ignore[attr-defined]
    assert "王先生" not in str(shown)


def test_the_paid_event_carries_what_relief_needs():
    paid = registry.parse(*public_view("claim-c1", *codec.encode(SHOWN[3])))  # type: ignore[misc]
    assert (paid.member_id, paid.year, paid.out_of_pocket) == ("m1", 2026, D("3219.00"))  # type: ignore[attr-defined]


@pytest.mark.parametrize("event", [EligibilityAwaited(DAY), ClaimReturned("fix the date", DAY)])
def test_waiting_and_returned_claims_stay_inside(event):
    assert public_view("claim-c1", *codec.encode(event)) is None


def test_a_plan_years_closing_date_for_claims_travels_with_plan_year_set():
    from dataclasses import replace

    from claims.app.facts import RULES_SET, rules_to_data

    from .plans import INPATIENT

    rules = replace(INPATIENT, claims_close_on=date(2027, 3, 31))
    data = rules_to_data(rules)
    assert data["claims_close_on"] == "2027-03-31"  # the rules_set event keeps it
    event_type, shown = public_view("plan-inpatient-2026", RULES_SET, data)
    payload = registry.parse(event_type, shown)
    assert payload.claims_close_on == date(2027, 3, 31)  # type: ignore[attr-defined]


def test_who_acted_stays_inside():
    from dataclasses import replace

    from claims.domain.events import Actor

    paid = replace(SHOWN[3], actor=Actor("clerk-li", "clerk"))
    _, shown = public_view("claim-c1", *codec.encode(paid))
    assert "actor" not in shown
