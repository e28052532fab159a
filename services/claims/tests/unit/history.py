"""A typical claim's history, and `given` to fold any history into a state."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from claims.domain.claim import Claim, ClaimEvent, evolve_claim
from claims.domain.events import (
    ClaimApproved,
    ClaimAssessed,
    ClaimFiled,
    ClaimPaid,
    ClaimRejected,
    ClaimReturned,
    EligibilityAwaited,
    Invoice,
    TierPaid,
)

TODAY = date(2026, 11, 23)
DINGHAI, PUTUO = "zhoushan/dinghai", "zhoushan/putuo"
INVOICE = Invoice("舟山医院", "33001234", Decimal("6230.00"), date(2026, 11, 20))
FILED = ClaimFiled(
    claim_id="c1",
    member_id="m1",
    service_point="zhoushan/putuo/center",
    plan_id="inpatient",
    year=2026,
    admitted_on=date(2026, 11, 10),
    discharged_on=date(2026, 11, 20),
    invoices=(INVOICE,),
    claimed=Decimal("6230.00"),
    filed_on=TODAY,
    major_disease=None,
)
AWAITING = EligibilityAwaited(since=TODAY)
ASSESSED = ClaimAssessed(
    benefit=Decimal("3011.00"),
    claimed=Decimal("6230.00"),
    out_of_pocket=Decimal("3219.00"),
    deductible=Decimal("500.00"),
    capped_by=None,
    insuring_district=DINGHAI,
    needs_approval=False,
    on=TODAY,
    member_id=FILED.member_id,
    plan_id=FILED.plan_id,
    year=FILED.year,
    reimbursable=Decimal("5730.00"),  # 6230.00 − 500.00 (起付线)
    tiers=(
        TierPaid(Decimal("5000.00"), "0.5", Decimal("2500.00")),
        TierPaid(Decimal("730.00"), "0.7", Decimal("511.00")),
    ),
    lump_sum=Decimal("0.00"),
    annual_cap=Decimal("50000.00"),
    used_before=Decimal("0.00"),
)
ASSESSED_FOR_OFFICER = ClaimAssessed(
    benefit=Decimal("8450.00"),
    claimed=Decimal("14000.00"),
    out_of_pocket=Decimal("5550.00"),
    deductible=Decimal("500.00"),
    capped_by=None,
    insuring_district=DINGHAI,
    needs_approval=True,
    on=TODAY,
)
AUTO_APPROVED = ClaimApproved(by="auto", automatic=True, on=TODAY)
APPROVED = ClaimApproved(by="officer-wang", automatic=False, on=TODAY)
PAID = ClaimPaid("zhoushan/dinghai/center", DINGHAI, DINGHAI, Decimal("3011.00"), TODAY)
REJECTED = ClaimRejected("invalid_document", "the discharge record is missing", TODAY)
RETURNED = ClaimReturned("the settlement statement (住院结算单) is missing", TODAY)


def given(*events: ClaimEvent) -> Claim:
    state = Claim()
    for event in events:
        state = evolve_claim(state, event)
    return state
