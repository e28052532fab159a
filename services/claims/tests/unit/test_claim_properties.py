"""Invariants over any history: replaying never fails; whatever is tried, a claim is paid once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from claims.domain import usage
from claims.domain.claim import (
    STATUSES,
    Claim,
    ClaimEvent,
    decide_approve,
    decide_eligibility,
    decide_file,
    decide_pay,
    decide_reject,
    decide_return,
    evolve_claim,
)
from claims.domain.events import ClaimPaid, Invoice
from claims.domain.rules import PlanRules, validate_rules
from hypothesis import given
from hypothesis import strategies as st
from union_events.errors import DomainError

from .plans import INPATIENT
from .strategies import amounts, claim_events, plan_rules

START = date(2026, 3, 1)
D_FEN = Decimal("0.01")
# Weighted towards the happy path, so that payments (and second tries) happen often.
NAMES = ["file", "eligibility", "eligibility", "approve", "pay", "pay", "pay", "reject", "return"]
POINTS = ["zhoushan/dinghai/center", "zhoushan/putuo/center", "ningbo/haishu/center"]


@given(st.lists(claim_events, max_size=30))
def test_replaying_any_claim_history_never_fails(events: list[ClaimEvent]) -> None:
    state = Claim()
    for event in events:
        state = evolve_claim(state, event)
    assert state.status in STATUSES


commands = st.lists(
    st.tuples(
        st.sampled_from(NAMES),
        st.sampled_from([None, True, True, False]),
        st.sampled_from(POINTS),
        amounts(60_000),
        st.integers(min_value=0, max_value=40),
    ),
    max_size=25,
).map(lambda script: [("file", None, POINTS[0], Decimal("6230.00"), 0), *script])


@given(commands)
def test_whatever_is_tried_a_claim_is_paid_at_most_once_and_never_above_its_caps(
    script: list[tuple[str, bool | None, str, Decimal, int]],
) -> None:
    state, today, history = Claim(), START, []
    for name, enrolled, point, amount, days in script:
        today += timedelta(days=days)
        try:
            events = list(_decide(name, state, enrolled, point, amount, today))
        except DomainError:
            continue
        for event in events:
            state = evolve_claim(state, event)
        history += events
    payments = [e for e in history if isinstance(e, ClaimPaid)]
    assert len(payments) <= 1
    for paid in payments:
        assert paid.amount == state.benefit
        assert Decimal(0) <= paid.amount <= min(INPATIENT.per_claim_cap, state.claimed or 0)
        assert paid.paying_district.split("/")[0] == paid.insuring_district.split("/")[0]
    assert state.status in STATUSES


def _decide(
    name: str, state: Claim, enrolled: bool | None, point: str, amount: Decimal, today: date
) -> Sequence[ClaimEvent]:
    if name == "file":
        invoice = Invoice("舟山医院", "001", amount, START)
        return decide_file(
            state, claim_id="c", member_id="m", service_point=point, rules=INPATIENT,
            admitted_on=START, discharged_on=START, invoices=(invoice,), major_disease=None,
            today=today,
        )  # fmt: skip
    if name == "eligibility":
        return decide_eligibility(
            state, enrolled=enrolled, insuring_district="zhoushan/dinghai", rules=INPATIENT,
            used_this_year=amount, today=today,
        )  # fmt: skip
    if name == "approve":
        return decide_approve(state, officer="officer-wang", today=today)
    if name == "pay":
        return decide_pay(state, service_point=point, rules=INPATIENT, today=today)
    if name == "reject":
        return decide_reject(state, code="other", reason="no", today=today)
    return decide_return(state, reason="fix it", today=today)


# Half the plans have an annual cap no larger than the per-claim cap: a member's second or third
# claim then often finds the cap used up (else `over_cap` is rarely reached).
tight_or_any_rules = plan_rules().flatmap(
    lambda rules: st.sampled_from(
        [rules, validate_rules(replace(rules, annual_cap=max(rules.per_claim_cap, D_FEN)))]
    )
)


@given(
    tight_or_any_rules,
    st.lists(
        st.tuples(
            amounts(60_000).filter(bool),
            st.sampled_from(["pay", "pay", "return", "reject", "return_then_reject"]),
        ),
        max_size=12,
    ),
)
def test_no_claim_is_approved_or_paid_zero_and_what_is_paid_stays_within_the_annual_cap(
    rules: PlanRules, claims: list[tuple[Decimal, str]]
) -> None:
    ledger: list[usage.UsageEntry] = []  # the member's usage stream, as the app keeps it
    paid_total = Decimal(0)
    for n, (amount, fate) in enumerate(claims):
        claim_id, today = f"c{n}", START + timedelta(days=n)
        invoice = Invoice("舟山医院", f"{n:03}", amount, START)
        events: list[ClaimEvent] = list(
            decide_file(
                Claim(),
                claim_id=claim_id,
                member_id="m",
                service_point=POINTS[0],
                rules=rules,
                admitted_on=START,
                discharged_on=START,
                invoices=(invoice,),
                major_disease=None,
                today=today,
            )
        )
        state = _fold(Claim(), events)
        decided = decide_eligibility(
            state, enrolled=True, insuring_district="zhoushan/dinghai", rules=rules,
            used_this_year=usage.used(ledger), today=today,
        )  # fmt: skip
        state = _fold(state, decided)
        if state.status == "assessed":
            state = _fold(state, decide_approve(state, officer="officer-wang", today=today))
        if state.benefit is not None:
            ledger.append(usage.Reserved(claim_id, state.benefit))
        if state.status != "approved":
            assert state.status == "rejected" and state.rejection_code in (
                "over_cap",
                "below_deductible",
            )
            continue
        assert state.benefit is not None and state.benefit > 0
        if fate == "pay":
            [paid] = decide_pay(state, service_point=POINTS[0], rules=rules, today=today)
            assert paid.amount > 0
            paid_total += paid.amount
            continue
        for close in fate.split("_then_"):
            try:
                if close == "return":
                    state = _fold(state, decide_return(state, reason="缺分割单", today=today))
                else:
                    state = _fold(
                        state, decide_reject(state, code="other", reason="x", today=today)
                    )
            except DomainError:
                continue
            release = usage.release_of(ledger, claim_id)
            if release is not None:
                ledger.append(release)
        assert 0 <= usage.used(ledger) <= rules.annual_cap
    assert paid_total <= rules.annual_cap
    assert 0 <= usage.used(ledger) <= rules.annual_cap


def _fold(state: Claim, events: Sequence[ClaimEvent]) -> Claim:
    for event in events:
        state = evolve_claim(state, event)
    return state
