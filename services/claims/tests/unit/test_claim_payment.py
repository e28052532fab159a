"""Paying a claim once, where pooling allows; rejecting or returning it before it is paid."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from claims.domain.claim import decide_pay, decide_reject, decide_return
from claims.domain.events import ClaimPaid, ClaimRejected, ClaimReturned
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
    PUTUO,
    REJECTED,
    RETURNED,
    TODAY,
    given,
)
from .plans import CITY_POOLING_FROM, INPATIENT

APPROVED_CLAIM = (FILED, ASSESSED, AUTO_APPROVED)  # insured in Dinghai, 3,011.00
BEFORE_CITY_POOLING = date(2026, 4, 30)


@pytest.mark.parametrize(
    ("service_point", "today", "paying_district"),
    [
        ("zhoushan/dinghai/center", BEFORE_CITY_POOLING, DINGHAI),  # own district, always
        ("zhoushan/dinghai/center", TODAY, DINGHAI),
        ("zhoushan/putuo/center", CITY_POOLING_FROM, PUTUO),  # city pooling: any district
        ("zhoushan/putuo/island-point", TODAY, PUTUO),
    ],
)
def test_an_approved_claim_is_paid_recording_the_paying_and_the_insuring_district(
    service_point: str, today: date, paying_district: str
) -> None:
    events = decide_pay(
        given(*APPROVED_CLAIM), service_point=service_point, rules=INPATIENT, today=today
    )
    assert events == [
        ClaimPaid(
            service_point, paying_district, DINGHAI, ASSESSED.benefit, today,
            member_id=FILED.member_id, plan_id=FILED.plan_id, year=FILED.year,
            claimed=ASSESSED.claimed, out_of_pocket=ASSESSED.out_of_pocket,
        )
    ]  # fmt: skip
    state = given(*APPROVED_CLAIM, *events)
    assert (state.status, state.paid_at, state.paid_amount) == (
        "paid",
        service_point,
        ASSESSED.benefit,
    )


def test_an_officer_approved_claim_pays_its_assessed_benefit() -> None:
    [paid] = decide_pay(
        given(FILED, ASSESSED_FOR_OFFICER, APPROVED),
        service_point="zhoushan/dinghai/center",
        rules=INPATIENT,
        today=TODAY,
    )
    assert paid.amount == ASSESSED_FOR_OFFICER.benefit


@pytest.mark.parametrize(
    ("history", "service_point", "today", "status", "code"),
    [
        ((), "zhoushan/dinghai/center", TODAY, 404, "claim_not_found"),
        ((*APPROVED_CLAIM, PAID), "zhoushan/dinghai/center", TODAY, 409, "already_paid"),
        ((*APPROVED_CLAIM, PAID), "zhoushan/putuo/center", TODAY, 409, "already_paid"),
        ((FILED,), "zhoushan/dinghai/center", TODAY, 409, "not_approved"),
        ((FILED, AWAITING), "zhoushan/dinghai/center", TODAY, 409, "not_approved"),
        ((FILED, ASSESSED_FOR_OFFICER), "zhoushan/dinghai/center", TODAY, 409, "not_approved"),
        ((*APPROVED_CLAIM, REJECTED), "zhoushan/dinghai/center", TODAY, 409, "not_approved"),
        ((*APPROVED_CLAIM, RETURNED), "zhoushan/dinghai/center", TODAY, 409, "not_approved"),
        (APPROVED_CLAIM, "zhoushan/putuo/center", BEFORE_CITY_POOLING, 403, "pooling_forbids"),
        (APPROVED_CLAIM, "ningbo/haishu/center", TODAY, 403, "pooling_forbids"),
        (APPROVED_CLAIM, "zhoushan", TODAY, 422, "invalid_org_path"),
    ],
)
def test_a_payment_is_refused_when_not_approved_paid_already_or_out_of_the_pool(
    history: tuple[Any, ...], service_point: str, today: date, status: int, code: str
) -> None:
    with pytest.raises(DomainError) as raised:
        decide_pay(given(*history), service_point=service_point, rules=INPATIENT, today=today)
    assert (raised.value.status, raised.value.code) == (status, code)


@pytest.mark.parametrize("rules", [None, replace(INPATIENT, year=2025)])
def test_a_payment_needs_the_rules_of_the_claims_plan_year(rules: Any) -> None:
    with pytest.raises(DomainError) as raised:
        decide_pay(
            given(*APPROVED_CLAIM),
            service_point="zhoushan/dinghai/center",
            rules=rules,
            today=TODAY,
        )
    assert raised.value.code == "unknown_plan_year"


@pytest.mark.parametrize(
    "history",
    [(FILED,), (FILED, AWAITING), (FILED, ASSESSED_FOR_OFFICER), APPROVED_CLAIM, (FILED, RETURNED)],
)
def test_an_unpaid_claim_can_be_rejected_with_a_coded_reason(history: tuple[Any, ...]) -> None:
    events = decide_reject(
        given(*history), code="invalid_document", reason=" no 出院记录 ", today=TODAY
    )
    assert events == [ClaimRejected("invalid_document", "no 出院记录", TODAY)]
    assert given(*history, *events).status == "rejected"


@pytest.mark.parametrize("history", [(FILED,), (FILED, AWAITING), APPROVED_CLAIM])
def test_an_unpaid_claim_can_be_returned_to_the_filer_for_correction(
    history: tuple[Any, ...],
) -> None:
    events = decide_return(
        given(*history), reason="the invoice is illegible", today=TODAY, code="invoice_problem"
    )
    assert events == [ClaimReturned("the invoice is illegible", TODAY, code="invoice_problem")]
    returned = given(*history, *events)
    assert (returned.status, returned.returned_code) == ("returned", "invoice_problem")
    assert (returned.timeline[-1].code, returned.timeline[-1].reason) == (
        "invoice_problem",
        "the invoice is illegible",
    )
    # a caller that names no reason (an older client) returns it as `other`
    plain = decide_return(given(*history), reason="see the note", today=TODAY)
    assert plain == [ClaimReturned("see the note", TODAY, code="other")]


@pytest.mark.parametrize(
    ("history", "code", "reason", "status", "error"),
    [
        ((), "other", "why", 404, "claim_not_found"),
        ((*APPROVED_CLAIM, PAID), "other", "why", 409, "already_paid"),
        ((FILED, REJECTED), "other", "why", 409, "already_rejected"),
        ((FILED,), "i_dont_like_it", "why", 422, "unknown_rejection_code"),
        ((FILED,), "other", "  ", 422, "reason_required"),
    ],
)
def test_a_rejection_is_refused_after_payment_or_without_a_known_code_and_reason(
    history: tuple[Any, ...], code: str, reason: str, status: int, error: str
) -> None:
    with pytest.raises(DomainError) as raised:
        decide_reject(given(*history), code=code, reason=reason, today=TODAY)
    assert (raised.value.status, raised.value.code) == (status, error)


@pytest.mark.parametrize(
    ("history", "code", "reason", "status", "error"),
    [
        ((), "other", "why", 404, "claim_not_found"),
        ((*APPROVED_CLAIM, PAID), "other", "why", 409, "already_paid"),
        ((FILED, REJECTED), "other", "why", 409, "already_rejected"),
        ((FILED, RETURNED), "other", "why", 409, "already_returned"),
        ((FILED,), "over_cap", "why", 422, "unknown_return_reason"),  # a rejection's code
        ((FILED,), "missing_documents", "", 422, "reason_required"),
    ],
)
def test_a_return_is_refused_after_payment_rejection_or_return_or_without_a_known_reason(
    history: tuple[Any, ...], code: str, reason: str, status: int, error: str
) -> None:
    with pytest.raises(DomainError) as raised:
        decide_return(given(*history), reason=reason, today=TODAY, code=code)
    assert (raised.value.status, raised.value.code) == (status, error)
