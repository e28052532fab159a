"""Assessment at the counter, on the in-memory store: the benefit is what `domain.benefit`
computes from the plan year's rules (起付线 500.00, 0.655 up to 10,000.00 above it, 0.8 after,
8,000.00 a claim) and the member's usage, kept to the fen; under 3,000.00 it is approved at once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from claims.domain.benefit import compute_benefit

from .counter import RULES, counter, file, invoice

D = Decimal


@pytest.mark.parametrize(
    ("claimed", "status", "benefit", "capped_by"),
    [
        ("1000.00", "approved", "327.50", None),  # (1000 − 500) × 0.655
        ("1234.56", "approved", "481.14", None),  # 734.56 × 0.655 = 481.1368: the ratio kept exact
        ("5000.00", "approved", "2947.50", None),  # just under the approval threshold
        ("6000.00", "assessed", "3602.50", None),  # at or above it: an officer approves
        ("12000.00", "assessed", "7750.00", None),  # 10000 × 0.655 + 1500 × 0.8: both tiers
        ("15000.00", "assessed", "8000.00", "per_claim"),  # 10,150.00 cut to the per-claim cap
    ],
)
async def test_the_benefit_is_the_rules_benefit(claimed, status, benefit, capped_by) -> None:
    async with counter() as m:
        assessed = await file(m, invoice(claimed))
        assert (assessed.status, assessed.benefit, assessed.capped_by) == (
            status,
            D(benefit),
            capped_by,
        )
        assert assessed.benefit == compute_benefit(RULES, D(claimed), D(0)).benefit
        assert assessed.deductible == D("500.00")
        assert assessed.out_of_pocket == D(claimed) - D(benefit)


async def test_invoices_of_one_claim_are_summed_before_the_deductible() -> None:
    async with counter() as m:
        assessed = await file(m, invoice("400.00"), invoice("600.00"))
        assert (assessed.claimed, assessed.benefit) == (D("1000.00"), D("327.50"))


async def test_a_claim_within_the_deductible_is_rejected_not_paid_nothing() -> None:
    async with counter() as m:
        small = await file(m, invoice("500.00"))
        assert (small.status, small.rejection_code, small.benefit) == (
            "rejected",
            "below_deductible",
            None,
        )
        assert "起付线" in (small.rejection_reason or "")


async def test_the_assessment_shows_its_working() -> None:
    async with counter() as m:
        assessed = await file(m, invoice("12000.00"))
        working = assessed.assessment
        assert working is not None
        assert [(t.amount, t.ratio, t.paid) for t in working.tiers] == [
            (D("10000.00"), "0.655", D("6550.00")),
            (D("1500.00"), "0.8", D("1200.00")),
        ]
        assert (working.reimbursable, working.annual_cap, working.used_before) == (
            D("11500.00"),
            D("12000.00"),
            D("0.00"),
        )
