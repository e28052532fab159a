"""Eligibility and assessment: wait for an unknown member, reject the unenrolled, assess."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from claims.domain.claim import decide_approve, decide_eligibility
from claims.domain.events import ClaimApproved, ClaimAssessed, ClaimRejected
from union_events.errors import DomainError

from .history import (
    APPROVED,
    ASSESSED,
    ASSESSED_FOR_OFFICER,
    AUTO_APPROVED,
    AWAITING,
    DINGHAI,
    FILED,
    PAID,
    REJECTED,
    RETURNED,
    TODAY,
    given,
)
from .plans import INPATIENT

D = Decimal
ENROLLED: dict[str, Any] = dict(
    enrolled=True, insuring_district=DINGHAI, rules=INPATIENT, used_this_year=D("0"), today=TODAY
)
UNKNOWN = {**ENROLLED, "enrolled": None, "insuring_district": None}
NOT_ENROLLED = {**ENROLLED, "enrolled": False, "insuring_district": None}


def test_a_claim_for_a_member_not_known_yet_waits_for_the_enrolment_once() -> None:
    assert decide_eligibility(given(FILED), **UNKNOWN) == [AWAITING]
    assert given(FILED, AWAITING).status == "awaiting_eligibility"
    assert decide_eligibility(given(FILED, AWAITING), **UNKNOWN) == []


@pytest.mark.parametrize("history", [(FILED,), (FILED, AWAITING)])
def test_a_claim_for_a_member_not_enrolled_that_year_is_rejected_with_the_reason(
    history: tuple[Any, ...],
) -> None:
    [rejected] = decide_eligibility(given(*history), **NOT_ENROLLED)
    assert isinstance(rejected, ClaimRejected) and rejected.code == "not_enrolled"
    assert "inpatient" in rejected.reason and "2026" in rejected.reason


@pytest.mark.parametrize(
    ("closes_on", "history", "decided"),
    [
        (None, (FILED,), "awaiting"),  # no closing date: a claim waits as long as it takes
        (TODAY, (FILED,), "awaiting"),  # closing today: still open until the day is over
        (TODAY - timedelta(days=1), (FILED,), "not_enrolled"),
        (TODAY - timedelta(days=1), (FILED, AWAITING), "not_enrolled"),
        (TODAY + timedelta(days=30), (FILED, AWAITING), "still"),
    ],
)
def test_once_the_enrolment_window_closed_no_enrolment_heard_means_not_enrolled(
    closes_on: date | None, history: tuple[Any, ...], decided: str
) -> None:
    rules = replace(INPATIENT, enrolment_closes_on=closes_on)
    events = decide_eligibility(given(*history), **{**UNKNOWN, "rules": rules})
    if decided == "not_enrolled":
        [rejected] = events
        assert isinstance(rejected, ClaimRejected) and rejected.code == "not_enrolled"
    else:
        assert events == ([AWAITING] if decided == "awaiting" else [])


@pytest.mark.parametrize("history", [(FILED,), (FILED, AWAITING)])
def test_a_benefit_under_the_threshold_is_assessed_and_approved_automatically(
    history: tuple[Any, ...],
) -> None:
    events = decide_eligibility(given(*history), **ENROLLED)
    assert events == [ASSESSED, AUTO_APPROVED]
    state = given(*history, *events)
    assert (state.status, state.benefit, state.insuring_district) == (
        "approved",
        D("3011.00"),
        DINGHAI,
    )


@pytest.mark.parametrize(
    ("claimed", "used", "auto_below", "benefit", "needs_approval", "capped_by"),
    [
        ("14000.00", "0", "5000.00", "8450.00", True, None),
        ("9071.43", "0", "5000.00", "5000.00", True, None),  # at the threshold: an officer
        ("9071.42", "0", "5000.00", "4999.99", False, None),
        ("14000.00", "45000.00", "5000.00", "5000.00", True, "annual"),
        ("14000.00", "46000.00", "5000.00", "4000.00", False, "annual"),
        ("6230.00", "49999.99", "5000.00", "0.01", False, "annual"),  # a fen left: paid a fen
    ],
)
def test_the_assessment_applies_the_rules_and_the_usage_of_the_year(
    claimed: str,
    used: str,
    auto_below: str,
    benefit: str,
    needs_approval: bool,
    capped_by: str | None,
) -> None:
    state = given(replace(FILED, claimed=D(claimed)))
    rules = replace(INPATIENT, auto_approve_below=D(auto_below))
    events = decide_eligibility(state, **{**ENROLLED, "rules": rules, "used_this_year": D(used)})
    assessed = events[0]
    assert isinstance(assessed, ClaimAssessed)
    assert (str(assessed.benefit), assessed.needs_approval, assessed.capped_by) == (
        benefit,
        needs_approval,
        capped_by,
    )
    assert assessed.benefit + assessed.out_of_pocket == D(claimed)
    assert len(events) == (1 if needs_approval else 2)


@pytest.mark.parametrize(
    ("claimed", "used", "code", "words"),
    [
        ("6230.00", "50000.00", "over_cap", ["annual cap of 50000.00", "50000.00 used"]),
        ("6230.00", "50000.01", "over_cap", ["annual cap of 50000.00", "50000.01 used"]),
        ("300.00", "0", "below_deductible", ["300.00", "deductible", "500.00"]),
        ("500.00", "1000.00", "below_deductible", ["500.00", "deductible"]),
    ],
)
def test_a_claim_with_nothing_to_pay_is_rejected_with_the_cap_and_the_usage_not_paid_zero(
    claimed: str, used: str, code: str, words: list[str]
) -> None:
    state = given(replace(FILED, claimed=D(claimed)))
    [rejected] = decide_eligibility(state, **{**ENROLLED, "used_this_year": D(used)})
    assert isinstance(rejected, ClaimRejected) and rejected.code == code
    assert all(word in rejected.reason for word in words), rejected.reason
    after = given(FILED, rejected)
    assert (after.status, after.benefit, after.rejection_code) == ("rejected", None, code)


def test_the_assessment_keeps_its_working_for_a_receipt() -> None:
    state = given(replace(FILED, claimed=D("60000.00")))
    [assessed] = decide_eligibility(state, **{**ENROLLED, "used_this_year": D("30000.00")})
    assert isinstance(assessed, ClaimAssessed)
    assert (assessed.deductible, assessed.reimbursable) == (D("500.00"), D("59500.00"))
    assert [(t.amount, t.ratio, t.paid) for t in assessed.tiers] == [
        (D("5000.00"), "0.5", D("2500.00")),
        (D("54500.00"), "0.7", D("38150.00")),
    ]
    # 40,650.00 worked out; the per-claim cap takes it to 30,000.00, what is left of the year's
    # 50,000.00 after 30,000.00 used takes it to 20,000.00.
    assert [(c.cap, c.limit, c.reduced_by) for c in assessed.caps] == [
        ("per_claim", D("30000.00"), D("10650.00")),
        ("annual", D("20000.00"), D("10000.00")),
    ]
    assert (assessed.benefit, assessed.annual_cap, assessed.used_before) == (
        D("20000.00"),
        D("50000.00"),
        D("30000.00"),
    )


def test_a_benefit_at_or_above_the_threshold_waits_for_a_district_officer() -> None:
    state = given(FILED, ASSESSED_FOR_OFFICER)
    assert state.status == "assessed"
    events = decide_approve(state, officer=" officer-wang ", today=TODAY)
    assert events == [APPROVED]
    assert given(FILED, ASSESSED_FOR_OFFICER, *events).approved_by == "officer-wang"


@pytest.mark.parametrize(
    ("history", "command", "status", "code"),
    [
        ((), ENROLLED, 404, "claim_not_found"),
        ((FILED, ASSESSED, AUTO_APPROVED), ENROLLED, 409, "not_awaiting_eligibility"),
        ((FILED, ASSESSED_FOR_OFFICER), ENROLLED, 409, "not_awaiting_eligibility"),
        ((FILED, REJECTED), UNKNOWN, 409, "not_awaiting_eligibility"),
        ((FILED, RETURNED), ENROLLED, 409, "not_awaiting_eligibility"),
        ((FILED,), {**ENROLLED, "insuring_district": None}, 422, "unknown_insuring_district"),
        ((FILED,), {**ENROLLED, "rules": None}, 422, "unknown_plan_year"),
        ((FILED,), {**ENROLLED, "rules": replace(INPATIENT, year=2027)}, 422, "unknown_plan_year"),
        ((FILED,), {**ENROLLED, "used_this_year": D("-1")}, 422, "invalid_amount"),
    ],
)
def test_eligibility_is_decided_only_for_a_claim_waiting_for_it(
    history: tuple[Any, ...], command: dict[str, Any], status: int, code: str
) -> None:
    with pytest.raises(DomainError) as raised:
        decide_eligibility(given(*history), **command)
    assert (raised.value.status, raised.value.code) == (status, code)


@pytest.mark.parametrize(
    ("history", "officer", "status", "code"),
    [
        ((), "officer-wang", 404, "claim_not_found"),
        ((FILED,), "officer-wang", 409, "not_awaiting_approval"),
        ((FILED, ASSESSED, AUTO_APPROVED), "officer-wang", 409, "not_awaiting_approval"),
        ((FILED, ASSESSED_FOR_OFFICER, APPROVED), "officer-wang", 409, "not_awaiting_approval"),
        (
            (FILED, ASSESSED_FOR_OFFICER, APPROVED, PAID),
            "officer-wang",
            409,
            "not_awaiting_approval",
        ),
        ((FILED, ASSESSED_FOR_OFFICER, REJECTED), "officer-wang", 409, "not_awaiting_approval"),
        ((FILED, ASSESSED_FOR_OFFICER), " ", 422, "officer_required"),
        ((FILED, ASSESSED_FOR_OFFICER), "auto", 422, "officer_required"),
    ],
)
def test_only_an_assessed_claim_that_needs_it_is_approved_by_an_officer(
    history: tuple[Any, ...], officer: str, status: int, code: str
) -> None:
    with pytest.raises(DomainError) as raised:
        decide_approve(given(*history), officer=officer, today=TODAY)
    assert (raised.value.status, raised.value.code) == (status, code)


def test_an_automatic_approval_says_so() -> None:
    assert AUTO_APPROVED == ClaimApproved(by="auto", automatic=True, on=TODAY)
