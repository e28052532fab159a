"""Filing a claim: invoices and dates are checked; a late claim is recorded and rejected."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from claims.domain.claim import Claim, decide_file
from claims.domain.events import ClaimRejected, Invoice
from claims.domain.filing import invoice_key
from union_events.errors import DomainError

from .history import FILED, INVOICE, REJECTED, RETURNED, TODAY, given
from .plans import INPATIENT

D = Decimal
COMMAND: dict[str, Any] = dict(
    claim_id="c1",
    member_id="m1",
    service_point="zhoushan/putuo/center",
    rules=INPATIENT,
    admitted_on=date(2026, 11, 10),
    discharged_on=date(2026, 11, 20),
    invoices=(INVOICE,),
    major_disease=None,
    today=TODAY,
)


def test_a_claim_with_its_invoices_is_filed_for_the_plan_year_of_discharge() -> None:
    assert decide_file(Claim(), **COMMAND) == [FILED]
    assert given(FILED).status == "filed"


def test_the_claimed_amount_is_the_invoices_total_and_names_are_trimmed() -> None:
    invoices = (
        Invoice(" 舟山医院 ", " 001 ", D("4000.00"), date(2026, 11, 20)),
        Invoice("舟山医院", "002", D("2230.5"), date(2026, 11, 20)),
    )
    [filed] = decide_file(Claim(), **{**COMMAND, "invoices": invoices})
    assert filed.claimed == D("6230.50")
    assert filed.invoices[0] == Invoice("舟山医院", "001", D("4000.00"), date(2026, 11, 20))


@pytest.mark.parametrize(
    ("days_after_discharge", "late"), [(0, False), (90, False), (91, True), (400, True)]
)
def test_a_claim_filed_past_the_deadline_is_filed_and_rejected_at_once(
    days_after_discharge: int, late: bool
) -> None:
    today = date(2026, 11, 20) + timedelta(days=days_after_discharge)
    events = decide_file(Claim(), **{**COMMAND, "today": today})
    assert len(events) == (2 if late else 1)
    if late:
        assert isinstance(events[1], ClaimRejected) and events[1].code == "past_deadline"
        assert given(*events).status == "rejected"


def test_a_returned_claim_can_be_filed_again_corrected() -> None:
    corrected = (replace(INVOICE, amount=D("6000.00")),)
    events = decide_file(given(FILED, RETURNED), **{**COMMAND, "invoices": corrected})
    state = given(FILED, RETURNED, *events)
    assert (state.status, state.claimed, state.returned_reason) == ("filed", D("6000.00"), None)


def bad_invoice(**change: Any) -> tuple[Invoice, ...]:
    return (replace(INVOICE, **change),)


@pytest.mark.parametrize(
    ("given_events", "change", "status", "code"),
    [
        ((FILED,), {}, 409, "claim_exists"),
        ((FILED, REJECTED), {}, 409, "claim_exists"),
        ((FILED, RETURNED), dict(member_id="m2"), 422, "member_mismatch"),
        ((), dict(member_id=" "), 422, "member_required"),
        ((), dict(service_point="zhoushan"), 422, "invalid_org_path"),
        ((), dict(invoices=()), 422, "no_invoices"),
        ((), dict(invoices=bad_invoice(amount=D("0"))), 422, "invalid_amount"),
        ((), dict(invoices=bad_invoice(amount=D("-100.00"))), 422, "invalid_amount"),
        ((), dict(invoices=bad_invoice(amount=D("100.001"))), 422, "invalid_amount"),
        ((), dict(invoices=bad_invoice(amount=6230.0)), 422, "invalid_amount"),
        ((), dict(invoices=bad_invoice(hospital=" ")), 422, "invalid_invoice"),
        ((), dict(invoices=bad_invoice(number="")), 422, "invalid_invoice"),
        ((), dict(invoices=(INVOICE, replace(INVOICE, amount=D("1")))), 422, "duplicate_invoice"),
        (
            (),
            dict(invoices=(INVOICE, replace(INVOICE, hospital=" 舟山医院"))),
            422,
            "duplicate_invoice",
        ),
        ((), dict(discharged_on=date(2026, 11, 9)), 422, "discharged_before_admitted"),
        ((), dict(discharged_on=date(2026, 11, 24)), 422, "date_in_future"),
        (
            (),
            dict(admitted_on=date(2026, 11, 24), discharged_on=date(2026, 11, 25)),
            422,
            "date_in_future",
        ),
        ((), dict(invoices=bad_invoice(issued_on=date(2026, 11, 24))), 422, "date_in_future"),
        ((), dict(rules=None), 422, "unknown_plan_year"),
        ((), dict(rules=replace(INPATIENT, year=2025)), 422, "unknown_plan_year"),
        ((), dict(major_disease="flu"), 422, "unknown_major_disease"),
    ],
)
def test_a_filing_that_breaks_a_rule_is_refused_with_a_code(
    given_events: tuple[Any, ...], change: dict[str, Any], status: int, code: str
) -> None:
    with pytest.raises(DomainError) as raised:
        decide_file(given(*given_events), **{**COMMAND, **change})
    assert (raised.value.status, raised.value.code) == (status, code)


def test_an_invoice_is_keyed_by_hospital_and_number_ignoring_case_and_spaces() -> None:
    assert (
        invoice_key(" 舟山医院 ", "AB001 ") == invoice_key("舟山医院", "ab001") == "舟山医院|ab001"
    )
    assert invoice_key("舟山医院", "1") != invoice_key("普陀医院", "1")
