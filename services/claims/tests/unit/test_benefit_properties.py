"""Invariants of the benefit for any valid rules and figures: caps hold, nothing is negative."""

from __future__ import annotations

from decimal import Decimal

from claims.domain.benefit import compute_benefit
from claims.domain.rules import PlanRules, validate_rules
from hypothesis import given
from hypothesis import strategies as st

from .strategies import amounts, plan_rules

diseases = st.sampled_from([None, "cancer"])


@given(plan_rules(), amounts(), amounts(), diseases)
def test_the_benefit_is_never_negative_nor_above_any_cap(
    rules: PlanRules, claimed: Decimal, used: Decimal, disease: str | None
) -> None:
    result = compute_benefit(validate_rules(rules), claimed, used, disease)
    assert Decimal(0) <= result.benefit <= rules.per_claim_cap
    assert result.benefit <= max(rules.annual_cap - used, Decimal(0))
    assert used + result.benefit <= max(rules.annual_cap, used)
    assert result.benefit <= result.claimed


@given(plan_rules(), amounts(), amounts(), diseases)
def test_what_the_member_pays_and_the_plan_pays_add_up_to_the_claim(
    rules: PlanRules, claimed: Decimal, used: Decimal, disease: str | None
) -> None:
    result = compute_benefit(rules, claimed, used, disease)
    assert result.out_of_pocket >= 0
    assert result.benefit + result.out_of_pocket == result.claimed == claimed
    assert result.deductible + result.reimbursable == result.claimed
    for amount in (result.benefit, result.out_of_pocket, result.deductible, result.reimbursable):
        assert amount.as_tuple().exponent == -2


@given(plan_rules(), amounts(), amounts(), amounts(), diseases)
def test_claiming_more_never_pays_less(
    rules: PlanRules, claimed: Decimal, more: Decimal, used: Decimal, disease: str | None
) -> None:
    less = compute_benefit(rules, claimed, used, disease).benefit
    assert compute_benefit(rules, claimed + more, used, disease).benefit >= less


@given(plan_rules(), amounts(), amounts(), amounts())
def test_having_used_more_of_the_year_never_pays_more(
    rules: PlanRules, claimed: Decimal, used: Decimal, more: Decimal
) -> None:
    before = compute_benefit(rules, claimed, used).benefit
    assert compute_benefit(rules, claimed, used + more).benefit <= before


@given(plan_rules(), amounts())
def test_the_tiers_pay_at_most_their_ratio_of_what_falls_in_them(
    rules: PlanRules, claimed: Decimal
) -> None:
    result = compute_benefit(rules, claimed, Decimal(0))
    assert sum(portion for portion, _ in result.by_tier) <= result.reimbursable
    for (portion, paid), tier in zip(result.by_tier, rules.tiers, strict=True):
        assert 0 <= paid <= portion
        assert abs(paid - portion * tier.ratio) <= Decimal("0.005")
