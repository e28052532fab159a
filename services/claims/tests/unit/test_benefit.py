"""The benefit of a claim: deductible, tiers, major-disease lump sum, then the caps."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from claims.domain.benefit import compute_benefit
from claims.domain.rules import MajorDisease, Tier
from union_events.errors import DomainError

from .plans import INPATIENT

D = Decimal
# deductible 500; 0–5,000 above it at 50 %, the rest at 70 %; 30,000 a claim, 50,000 a year.
CASES = [
    # claimed, used this year, major disease, benefit, capped by
    ("6230.00", "0", None, "3011.00", None),  # a typical inpatient reimbursement
    ("300.00", "0", None, "0.00", None),  # below the deductible (起付线)
    ("500.00", "0", None, "0.00", None),
    ("500.01", "0", None, "0.01", None),  # 0.005 rounds half up to the fen
    ("3500.00", "0", None, "1500.00", None),
    ("5500.00", "0", None, "2500.00", None),  # the first tier exactly
    ("5500.10", "0", None, "2500.07", None),
    ("44785.71", "0", None, "30000.00", None),  # 27,499.997 rounds to exactly the cap
    ("44785.73", "0", None, "30000.00", "per_claim"),
    ("60000.00", "0", None, "30000.00", "per_claim"),
    ("6230.00", "45000.00", None, "3011.00", None),
    ("6230.00", "48000.00", None, "2000.00", "annual"),
    ("6230.00", "50000.00", None, "0.00", "annual"),
    ("6230.00", "61000.00", None, "0.00", "annual"),  # over already: nothing, never negative
    ("60000.00", "25000.00", None, "25000.00", "annual"),  # both caps: the annual bites last
    ("6230.00", "0", "cancer", "6230.00", "claimed"),  # 3,011 + 15,000 lump sum > claimed
    ("40000.00", "0", "cancer", "30000.00", "per_claim"),
    ("1000.00", "0", "cancer", "1000.00", "claimed"),  # never more than was claimed
    ("0.00", "0", None, "0.00", None),
]


@pytest.mark.parametrize(("claimed", "used", "disease", "benefit", "capped_by"), CASES)
def test_the_benefit_follows_the_plan_rules(
    claimed: str, used: str, disease: str | None, benefit: str, capped_by: str | None
) -> None:
    result = compute_benefit(INPATIENT, D(claimed), D(used), disease)
    assert (str(result.benefit), result.capped_by) == (benefit, capped_by)
    assert result.benefit + result.out_of_pocket == result.claimed == D(claimed)


def test_a_typical_claim_shows_its_working() -> None:
    result = compute_benefit(INPATIENT, D("6230.00"), D("1200.00"))
    assert result.deductible == D("500.00")
    assert result.reimbursable == D("5730.00")
    assert result.by_tier == ((D("5000.00"), D("2500.00")), (D("730.00"), D("511.00")))
    assert str(result.out_of_pocket) == "3219.00"


def test_a_listed_major_disease_adds_its_lump_sum() -> None:
    rules = replace(INPATIENT, major_diseases=(MajorDisease("cancer", D("1000.00")),))
    result = compute_benefit(rules, D("6230.00"), D("0"), "cancer")
    assert (result.benefit, result.capped_by) == (D("4011.00"), None)
    assert result.out_of_pocket == D("2219.00")


def test_a_claim_below_the_deductible_bears_only_what_it_claimed_of_it() -> None:
    result = compute_benefit(INPATIENT, D("300.00"), D("0"))
    assert (result.deductible, result.reimbursable) == (D("300.00"), D("0.00"))
    assert result.by_tier == ((D("0.00"), D("0.00")), (D("0.00"), D("0.00")))


def test_above_a_bounded_last_tier_nothing_more_is_reimbursed() -> None:
    rules = replace(
        INPATIENT,
        deductible=D("0.00"),
        tiers=(Tier(D("1000.00"), D("0.8")), Tier(D("3000.00"), D("0.6"))),
    )
    result = compute_benefit(rules, D("10000.00"), D("0"))
    assert result.by_tier == ((D("1000.00"), D("800.00")), (D("2000.00"), D("1200.00")))
    assert result.benefit == D("2000.00")


def test_amounts_given_with_more_places_are_rounded_to_the_fen_first() -> None:
    assert compute_benefit(INPATIENT, D("6229.995"), D("0")).claimed == D("6230.00")


@pytest.mark.parametrize(
    ("claimed", "used", "disease", "code"),
    [
        (D("-1"), D("0"), None, "invalid_amount"),
        (D("100"), D("-1"), None, "invalid_amount"),
        (100.0, D("0"), None, "invalid_amount"),
        (D("6230"), D("0"), "flu", "unknown_major_disease"),
    ],
)
def test_a_benefit_cannot_be_computed_from_bad_figures(
    claimed: Decimal, used: Decimal, disease: str | None, code: str
) -> None:
    with pytest.raises(DomainError) as raised:
        compute_benefit(INPATIENT, claimed, used, disease)
    assert raised.value.code == code
