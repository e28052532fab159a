"""Stored events: every claim event has a versioned type and survives a round trip through JSON."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from claims.domain import codec
from claims.domain.events import (
    Actor,
    CapApplied,
    ClaimApproved,
    ClaimAssessed,
    ClaimFiled,
    ClaimPaid,
    ClaimRejected,
    ClaimReturned,
    EligibilityAwaited,
    Invoice,
)
from hypothesis import given

from .strategies import claim_events

ON = date(2026, 11, 23)
D = Decimal
INVOICE = Invoice("舟山医院", "33001234", D("6230.00"), date(2026, 11, 20))
FILED = ClaimFiled(
    "c1", "m1", "zhoushan/putuo/center", "inpatient", 2026, date(2026, 11, 10),
    date(2026, 11, 20), (INVOICE,), D("6230.00"), ON, None,
)  # fmt: skip
EXAMPLES = [
    (FILED, "union.claims.claim.filed.v1"),
    (EligibilityAwaited(ON), "union.claims.claim.eligibility_awaited.v1"),
    (
        ClaimAssessed(
            D("3011.00"),
            D("6230.00"),
            D("3219.00"),
            D("500.00"),
            None,
            "zhoushan/dinghai",
            False,
            ON,
        ),
        "union.claims.claim.assessed.v1",
    ),
    (ClaimApproved("auto", True, ON), "union.claims.claim.approved.v1"),
    (
        ClaimPaid("zhoushan/putuo/center", "zhoushan/putuo", "zhoushan/dinghai", D("3011.00"), ON),
        "union.claims.claim.paid.v1",
    ),
    (
        ClaimRejected("past_deadline", "filed 120 days after discharge", ON),
        "union.claims.claim.rejected.v1",
    ),
    (
        ClaimReturned("出院记录 missing", ON, code="missing_documents"),
        "union.claims.claim.returned.v1",
    ),
]


@pytest.mark.parametrize(("event", "event_type"), EXAMPLES)
def test_every_event_has_its_versioned_type_and_round_trips_through_json(
    event: object, event_type: str
) -> None:
    stored_type, data = codec.encode(event)
    assert stored_type == event_type
    assert codec.decode(stored_type, json.loads(json.dumps(data))) == event


def test_every_event_of_the_claim_has_an_example() -> None:
    assert {type(e) for e, _ in EXAMPLES} == set(codec.EVENT_TYPES)


def test_money_is_a_string_with_two_places_dates_iso_and_invoices_objects() -> None:
    _, data = codec.encode(FILED)
    assert data["claimed"] == "6230.00"
    assert data["admitted_on"] == "2026-11-10"
    assert data["major_disease"] is None
    assert data["invoices"] == [
        {
            "hospital": "舟山医院",
            "number": "33001234",
            "amount": "6230.00",
            "issued_on": "2026-11-20",
        }
    ]


@pytest.mark.parametrize(
    ("amount", "text"), [(D("3011"), "3011.00"), (D("1E+3"), "1000.00"), (D("0"), "0.00")]
)
def test_money_is_never_written_with_an_exponent(amount: Decimal, text: str) -> None:
    _, data = codec.encode(ClaimPaid("z/d/c", "z/d", "z/d", amount, ON))
    assert data["amount"] == text


def test_an_unknown_type_or_object_is_refused() -> None:
    with pytest.raises(codec.UnknownEvent):
        codec.decode("union.claims.claim.audited.v1", {})
    with pytest.raises(codec.UnknownEvent):
        codec.encode(object())


@given(claim_events)
def test_decoding_an_encoded_event_gives_the_event_back(event: object) -> None:
    event_type, data = codec.encode(event)
    assert codec.decode(event_type, json.loads(json.dumps(data))) == event


def test_who_acted_and_the_benefits_working_round_trip_and_old_events_still_read() -> None:
    from .history import ASSESSED

    clerk = Actor("clerk-li", "clerk")
    resubmitted = replace(FILED, documents=("split_certificate",), resubmitted_on=ON, actor=clerk)
    capped = replace(ASSESSED, caps=(CapApplied("annual", D("967.00"), D("2044.00")),))
    for event in (resubmitted, capped, ClaimRejected("over_cap", "used up", ON, clerk)):
        event_type, data = codec.encode(event)
        assert codec.decode(event_type, json.loads(json.dumps(data))) == event
    _, data = codec.encode(capped)
    assert data["tiers"][0] == {"amount": "5000.00", "ratio": "0.5", "paid": "2500.00"}
    assert data["caps"] == [{"cap": "annual", "limit": "967.00", "reduced_by": "2044.00"}]
    # An event stored before these fields existed reads with their defaults.
    _, old = codec.encode(FILED)
    for field in ("documents", "resubmitted_on", "actor"):
        old.pop(field)
    assert codec.decode("union.claims.claim.filed.v1", old) == FILED


def test_a_return_stored_before_returns_had_a_code_reads_and_folds_as_other() -> None:
    """A log written before return reasons were a list holds `returned.v1` without `code`: it
    still decodes, and the claim it folds to (and its timeline step) says `other`."""
    from claims.domain.state import evolve_claim

    from .history import given

    officer = Actor("officer-wang", "district_officer")
    stored = {
        "reason": "缺分割单",
        "on": "2026-11-23",
        "actor": {"subject": "officer-wang", "role": "district_officer"},
    }
    event = codec.decode("union.claims.claim.returned.v1", stored)
    assert event == ClaimReturned("缺分割单", ON, officer, code="other")
    _, written = codec.encode(ClaimReturned("缺分割单", ON, officer, code="dates_problem"))
    assert written["code"] == "dates_problem"  # what is stored from now on
    state = evolve_claim(given(FILED), event)
    assert (state.status, state.returned_code, state.returned_reason) == (
        "returned",
        "other",
        "缺分割单",
    )
    assert (state.timeline[-1].what, state.timeline[-1].code) == ("returned", "other")
