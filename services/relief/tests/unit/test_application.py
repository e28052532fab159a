"""Relief applications: drafted → submitted → approved or rejected → disbursed → receipt."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from relief.domain.application import (
    Application,
    decide_approve,
    decide_disburse,
    decide_draft,
    decide_receipt,
    decide_reject,
    decide_set_recipient,
    decide_submit,
    evolve_application,
)
from relief.domain.events import (
    ApplicationApproved,
    ApplicationDrafted,
    ApplicationRejected,
    ApplicationSubmitted,
    GrantDisbursed,
    ReceiptRecorded,
    RecipientSet,
)
from union_events.errors import Conflict, DomainError, NotFound

from .history import given

D = Decimal
ON = date(2026, 11, 23)
DRAFTED = ApplicationDrafted("a1", "m1", "zhoushan/dinghai", "education", None, "clerk", ON)
SUBMITTED = ApplicationSubmitted(D("7700.00"), ON)
APPROVED = ApplicationApproved(D("7700.00"), "district_officer", ON)
DISBURSED = GrantDisbursed(D("7700.00"), 2026, ON)


def app(*events) -> Application:
    return given(Application(), evolve_application, events)


def test_a_clerk_application_is_drafted_and_submitted_at_once():
    events = decide_draft(
        Application(),
        application_id="a1",
        member_id="m1",
        district="/zhoushan/dinghai/",
        kind="education",
        intake_id=None,
        source="clerk",
        on=ON,
        amount=D("7700"),
    )
    assert events == [DRAFTED, SUBMITTED]


def test_drafting_again_changes_nothing():
    assert (
        decide_draft(
            app(DRAFTED),
            application_id="a1",
            member_id="m1",
            district="zhoushan/dinghai",
            kind="education",
            intake_id=None,
            source="intake",
            on=ON,
        )
        == []
    )


def test_an_unknown_kind_or_a_zero_amount_is_refused():
    with pytest.raises(DomainError, match="kind"):
        decide_draft(
            Application(),
            application_id="a",
            member_id=None,
            district="x/y",
            kind="lottery",
            intake_id=None,
            source="clerk",
            on=ON,
        )
    with pytest.raises(DomainError, match="positive"):
        decide_submit(app(DRAFTED), amount=D("0"), on=ON)


def test_approval_may_lower_the_amount():
    assert decide_approve(app(DRAFTED, SUBMITTED), amount=D("5000"), by="o", on=ON) == [
        ApplicationApproved(D("5000.00"), "o", ON)
    ]


def test_a_draft_is_not_approved_before_it_is_submitted():
    with pytest.raises(Conflict) as refused:
        decide_approve(app(DRAFTED), amount=None, by="o", on=ON)
    assert refused.value.code == "not_submitted"


def test_a_rejection_needs_a_reason_and_ends_the_application():
    assert decide_reject(app(DRAFTED, SUBMITTED), reason=" income too high ", on=ON) == [
        ApplicationRejected("income too high", ON)
    ]
    with pytest.raises(DomainError):
        decide_reject(app(DRAFTED), reason=" ", on=ON)
    with pytest.raises(Conflict):
        decide_reject(app(DRAFTED, SUBMITTED, APPROVED, DISBURSED), reason="late", on=ON)


def test_disbursement_pays_the_approved_amount_once():
    assert decide_disburse(app(DRAFTED, SUBMITTED, APPROVED), on=ON) == [DISBURSED]
    with pytest.raises(Conflict) as twice:
        decide_disburse(app(DRAFTED, SUBMITTED, APPROVED, DISBURSED), on=ON)
    assert twice.value.code == "already_disbursed"
    with pytest.raises(Conflict):
        decide_disburse(app(DRAFTED, SUBMITTED), on=ON)


def test_the_receipt_is_recorded_once_after_disbursement():
    paid = app(DRAFTED, SUBMITTED, APPROVED, DISBURSED)
    assert decide_receipt(paid, on=ON) == [ReceiptRecorded(ON)]
    assert (
        decide_receipt(app(DRAFTED, SUBMITTED, APPROVED, DISBURSED, ReceiptRecorded(ON)), on=ON)
        == []
    )
    with pytest.raises(Conflict):
        decide_receipt(app(DRAFTED, SUBMITTED, APPROVED), on=ON)
    with pytest.raises(NotFound):
        decide_receipt(Application(), on=ON)


INTAKE_DRAFT = ApplicationDrafted(
    "a2", None, "zhoushan/dinghai", "living_assistance", "i1", "intake", ON
)


def test_a_draft_without_a_recipient_cannot_be_submitted_until_one_is_set():
    with pytest.raises(DomainError) as refused:
        decide_submit(app(INTAKE_DRAFT), amount=D("100"), on=ON)
    assert (refused.value.status, refused.value.code) == (422, "recipient_required")
    named = decide_set_recipient(app(INTAKE_DRAFT), member_id="m1", on=ON)
    assert named == [RecipientSet("m1", ON)]
    assert decide_submit(app(INTAKE_DRAFT, *named), amount=D("100"), on=ON) == [
        ApplicationSubmitted(D("100.00"), ON)
    ]


def test_the_recipient_is_set_on_a_draft_only():
    with pytest.raises(Conflict) as refused:
        decide_set_recipient(app(DRAFTED, SUBMITTED), member_id="m2", on=ON)
    assert refused.value.code == "not_drafted"


def test_an_approval_above_the_amount_applied_for_is_refused_naming_both_amounts():
    asked_100 = app(DRAFTED, ApplicationSubmitted(D("100.00"), ON))
    with pytest.raises(DomainError) as refused:
        decide_approve(asked_100, amount=D("99999.00"), by="o", on=ON)
    assert (refused.value.status, refused.value.code) == (422, "above_requested")
    assert "99999.00" in refused.value.message and "100.00" in refused.value.message
    assert decide_approve(asked_100, amount=D("100.00"), by="o", on=ON)  # equal is fine


def test_requested_and_approved_amounts_are_kept_apart():
    state = app(DRAFTED, SUBMITTED, ApplicationApproved(D("5000.00"), "o", ON))
    assert (state.amount_requested, state.amount_approved) == (D("7700.00"), D("5000.00"))
