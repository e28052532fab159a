"""The benefit of one claim: what the plan pays, and what the member pays out of pocket.

claimed − deductible (起付线, never below zero) = reimbursable
reimbursable, tier by tier × ratio (each tier rounded to the fen) + major-disease lump sum
→ at most what was claimed → at most the per-claim cap → at most what is left of the
annual cap after this year's earlier benefits.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from union_events.errors import DomainError
from union_events.money import CENT, ZERO, yuan

from .events import CapApplied
from .rules import PlanRules


@dataclass(frozen=True)
class Benefit:
    claimed: Decimal
    deductible: Decimal  # the part of the deductible this claim bore (at most `claimed`)
    reimbursable: Decimal  # claimed − deductible
    by_tier: tuple[tuple[Decimal, Decimal], ...]  # per tier: (amount in the tier, paid for it)
    capped_by: str | None  # "claimed" | "per_claim" | "annual" | None: the last cap that bit
    benefit: Decimal
    out_of_pocket: Decimal  # claimed − benefit
    lump_sum: Decimal = ZERO  # a listed major disease's
    caps: tuple[CapApplied, ...] = ()  # each cap that bit, in order, and what it took off


def compute_benefit(
    rules: PlanRules,
    claimed: Decimal,
    used_this_year: Decimal,
    major_disease: str | None = None,
) -> Benefit:
    claimed, used_this_year = _amount(claimed), _amount(used_this_year)
    deductible = min(rules.deductible, claimed)
    reimbursable = claimed - deductible
    by_tier = _tiers(rules, reimbursable)
    lump_sum = _lump_sum(rules, major_disease)
    benefit = sum((paid for _, paid in by_tier), ZERO) + lump_sum
    capped_by: str | None = None
    caps: list[CapApplied] = []
    # A lump sum can exceed a small claim; the plan never pays more than was claimed.
    for cap, name in (
        (claimed, "claimed"),
        (rules.per_claim_cap, "per_claim"),
        (max(rules.annual_cap - used_this_year, ZERO), "annual"),
    ):
        if benefit > cap:
            caps.append(CapApplied(name, cap, benefit - cap))
            benefit, capped_by = cap, name
    return Benefit(
        claimed=claimed,
        deductible=deductible,
        reimbursable=reimbursable,
        by_tier=by_tier,
        capped_by=capped_by,
        benefit=benefit,
        out_of_pocket=claimed - benefit,
        lump_sum=lump_sum,
        caps=tuple(caps),
    )


def _tiers(rules: PlanRules, reimbursable: Decimal) -> tuple[tuple[Decimal, Decimal], ...]:
    rows: list[tuple[Decimal, Decimal]] = []
    lower = ZERO
    for tier in rules.tiers:
        upper = reimbursable if tier.up_to is None else min(tier.up_to, reimbursable)
        portion = max(upper - lower, ZERO)
        rows.append((portion, (portion * tier.ratio).quantize(CENT, rounding=ROUND_HALF_UP)))
        if tier.up_to is not None:
            lower = max(lower, tier.up_to)
    return tuple(rows)


def _lump_sum(rules: PlanRules, code: str | None) -> Decimal:
    if code is None:
        return ZERO
    disease = rules.major_disease(code)
    if disease is None:
        raise DomainError(
            f"{code!r} is not a major disease listed by plan {rules.plan_id} for {rules.year}",
            code="unknown_major_disease",
        )
    return disease.lump_sum


def _amount(value: Decimal) -> Decimal:
    amount = yuan(value)
    if amount < 0:
        raise DomainError(f"an amount cannot be negative: {amount}", code="invalid_amount")
    return amount
