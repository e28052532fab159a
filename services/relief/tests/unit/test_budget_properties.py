"""A budget is never overspent, whatever disbursements are tried, in any order."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from relief.domain.budget import Budget, decide_commit, decide_set_budget, evolve_budget
from relief.domain.events import FundsCommitted
from union_events.errors import Conflict

amounts = st.integers(min_value=1, max_value=500_000).map(lambda fen: Decimal(fen) / 100)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("set"), amounts.map(lambda a: a * 20)),
        st.tuples(st.just("commit"), st.tuples(st.integers(0, 15), amounts)),
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(steps)
def test_committed_never_passes_the_budget(history):
    budget = Budget()
    for step, arg in history:
        try:
            if step == "set":
                events = decide_set_budget(
                    budget, district="zhoushan/dinghai", year=2026, kind="education", amount=arg
                )
            else:
                application, amount = arg
                events = decide_commit(budget, application_id=f"a{application}", amount=amount)
        except Conflict:
            continue
        for event in events:
            budget = evolve_budget(budget, event)
        assert budget.total is not None and budget.committed <= budget.total


@given(st.lists(amounts, min_size=1, max_size=30))
def test_each_application_is_charged_once(amounts_tried):
    budget = evolve_budget(
        Budget(),
        decide_set_budget(
            Budget(), district="a/b", year=2026, kind="education", amount=Decimal(10**6)
        )[0],
    )
    for amount in amounts_tried:
        for event in decide_commit(budget, application_id="same", amount=amount):
            budget = evolve_budget(budget, event)
    assert budget.committed == amounts_tried[0]


def test_a_disbursement_that_would_overspend_is_refused_and_says_what_is_left():
    budget = evolve_budget(
        Budget(),
        decide_set_budget(
            Budget(), district="a/b", year=2026, kind="education", amount=Decimal(1000)
        )[0],
    )
    budget = evolve_budget(budget, FundsCommitted("a1", Decimal("800.00")))
    with pytest.raises(Conflict) as refused:
        decide_commit(budget, application_id="a2", amount=Decimal("200.01"))
    assert (refused.value.code, refused.value.details["left"]) == ("budget_exceeded", "200.00")
    assert decide_commit(budget, application_id="a2", amount=Decimal("200.00"))


def test_no_budget_no_disbursement_and_a_budget_never_goes_below_what_is_committed():
    with pytest.raises(Conflict, match="no budget"):
        decide_commit(Budget(), application_id="a1", amount=Decimal(1))
    spent = Budget(Decimal(100), Decimal(80), frozenset({"a1"}))
    with pytest.raises(Conflict):
        decide_set_budget(spent, district="a/b", year=2026, kind="education", amount=Decimal(79))
