"""Filing a claim: invoices and dates are checked; a late claim is recorded and rejected."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from claims.domain.claim import Claim, decide_file, decide_resubmit
from claims.domain.events import Actor, ClaimFiled, ClaimRejected, Invoice
from claims.domain.filing import invoice_key
from union_events.errors import DomainError

from .history import ASSESSED, AUTO_APPROVED, FILED, INVOICE, REJECTED, RETURNED, TODAY, given
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


def test_a_claim_with_its_invoices_is_filed_for_the_plan_year_of_admission() -> None:
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


def test_a_stay_from_december_to_january_belongs_to_the_plan_year_of_admission() -> None:
    stay = {
        **COMMAND,
        "admitted_on": date(2026, 12, 28),
        "discharged_on": date(2027, 1, 5),
        "invoices": (replace(INVOICE, issued_on=date(2027, 1, 5)),),
        "today": date(2027, 1, 10),
    }
    [filed] = decide_file(Claim(), **stay)
    assert isinstance(filed, ClaimFiled) and filed.year == 2026
    with pytest.raises(DomainError) as refused:  # the discharge year's rules do not take it
        decide_file(Claim(), **{**stay, "rules": replace(INPATIENT, year=2027)})
    assert refused.value.code == "unknown_plan_year"
    assert "2026, the year of admission" in refused.value.message


@pytest.mark.parametrize(
    ("filed_on", "late"),
    [(date(2027, 3, 31), False), (date(2027, 4, 1), True)],
)
def test_a_claim_filed_after_the_plan_years_closing_date_is_rejected_past_deadline(
    filed_on: date, late: bool
) -> None:
    rules = replace(INPATIENT, claims_close_on=date(2027, 3, 31), deadline_days=3650)
    events = decide_file(Claim(), **{**COMMAND, "rules": rules, "today": filed_on})
    if not late:
        assert len(events) == 1
        return
    [_, rejected] = events
    assert isinstance(rejected, ClaimRejected) and rejected.code == "past_deadline"
    assert "closed on 2027-03-31" in rejected.reason


@pytest.mark.parametrize(
    ("handed_in", "missing"),
    [
        ((), "settlement_statement, discharge_record"),
        (("discharge_record",), "settlement_statement"),
        (("diagnosis", "settlement_statement"), "discharge_record"),
        (("discharge_record", "settlement_statement", "diagnosis"), None),
    ],
)
def test_a_claim_without_a_document_the_plan_year_requires_is_rejected_naming_the_missing(
    handed_in: tuple[str, ...], missing: str | None
) -> None:
    rules = replace(INPATIENT, required_documents=("settlement_statement", "discharge_record"))
    command = {**COMMAND, "rules": rules, "documents": handed_in}
    for state in (Claim(), given(FILED, RETURNED)):  # filed, and resubmitted corrected
        events = decide_file(state, **command)
        if missing is None:
            assert len(events) == 1 and isinstance(events[0], ClaimFiled)
            continue
        [_, rejected] = events
        assert isinstance(rejected, ClaimRejected) and rejected.code == "invalid_document"
        assert rejected.reason.endswith("were not handed in: " + missing)
        assert given(*(() if state == Claim() else (FILED, RETURNED)), *events).status == (
            "rejected"
        )


def test_a_plan_year_requiring_no_documents_takes_a_claim_without_any() -> None:
    assert INPATIENT.required_documents == ()
    assert decide_file(Claim(), **{**COMMAND, "documents": ()}) == [FILED]


def test_a_resubmission_keeps_the_claim_its_member_and_first_filing_day() -> None:
    clerk = Actor("clerk-li", "clerk")
    later = TODAY + timedelta(days=5)
    history = (FILED, ASSESSED, AUTO_APPROVED, RETURNED)
    corrected = (replace(INVOICE, amount=D("5000.00")),)
    [filed] = decide_resubmit(
        given(*history),
        service_point="zhoushan/dinghai/center",
        rules=INPATIENT,
        admitted_on=date(2026, 11, 10),
        discharged_on=date(2026, 11, 20),
        invoices=corrected,
        documents=("split_certificate", "split_certificate", "discharge_record"),
        major_disease=None,
        today=later,
        actor=clerk,
    )
    assert isinstance(filed, ClaimFiled)
    assert (filed.claim_id, filed.member_id, filed.filed_on, filed.resubmitted_on) == (
        "c1",
        "m1",
        TODAY,
        later,
    )
    assert filed.documents == ("split_certificate", "discharge_record")
    state = given(*history, filed)
    assert (state.status, state.claimed, state.benefit, state.filed_by) == (
        "filed",
        D("5000.00"),
        None,
        clerk,
    )
    assert [s.what for s in state.timeline] == [
        "filed",
        "assessed",
        "approved",
        "returned",
        "resubmitted",
    ]
    assert state.timeline[3].reason == RETURNED.reason


@pytest.mark.parametrize(
    "history", [(), (FILED,), (FILED, ASSESSED, AUTO_APPROVED), (FILED, REJECTED)]
)
def test_only_a_returned_claim_is_resubmitted(history: tuple[Any, ...]) -> None:
    with pytest.raises(DomainError) as refused:
        decide_resubmit(
            given(*history),
            service_point="zhoushan/dinghai/center",
            rules=INPATIENT,
            admitted_on=date(2026, 11, 10),
            discharged_on=date(2026, 11, 20),
            invoices=(INVOICE,),
            documents=(),
            major_disease=None,
            today=TODAY,
        )
    assert refused.value.code == ("claim_not_found" if not history else "not_returned")


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
        ((), dict(documents=("x-ray",)), 422, "unknown_document"),
    ],
)
def test_a_filing_that_breaks_a_rule_is_refused_with_a_code(
    given_events: tuple[Any, ...], change: dict[str, Any], status: int, code: str
) -> None:
    with pytest.raises(DomainError) as raised:
        decide_file(given(*given_events), **{**COMMAND, **change})
    assert (raised.value.status, raised.value.code) == (status, code)


def test_an_invoice_is_keyed_by_hospital_code_and_number_ignoring_case_width_and_dashes() -> None:
    plain = invoice_key("ZS-001", "ＡＢ ００１")
    assert invoice_key(" zs-001 ", "ab-001 ") == plain == "ZS-001|AB001"
    assert invoice_key("ZS-001", "1") != invoice_key("ZS-002", "1")


def test_two_invoices_of_a_claim_that_differ_only_by_a_dash_are_one_invoice_twice() -> None:
    twice = (
        Invoice("ZS-001", "FP-2026-0001", D("100.00"), date(2026, 11, 20)),
        Invoice("ZS-001", "fp20260001", D("200.00"), date(2026, 11, 20)),
    )
    with pytest.raises(DomainError) as raised:
        decide_file(Claim(), **{**COMMAND, "invoices": twice})
    assert raised.value.code == "duplicate_invoice"
