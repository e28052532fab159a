"""The minimum living standard (低保标准) per district and date, and the hardship card rule.

A card (爱心帮扶证) is issued when the household's monthly income per head is strictly below
`factor` × the district's standard on the assessment date (factor 1.3 by default; configured).
The comparison is exact, without dividing or rounding: income < factor × standard × household
size (3,899.99 for 3 people is 1,299.996… a head, under 1.3 × 1,000: a card). The per-head
figure is rounded to the fen only to be shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from union_events.errors import DomainError
from union_events.money import CENT, ZERO, Money, yuan
from union_events.orgs import validate_org_path

DEFAULT_CARD_FACTOR = Decimal("1.3")


@dataclass(frozen=True)
class StandardSet:
    """A district's monthly standard per person from a date on (stream `standard-<district>`)."""

    district: str
    amount: Money
    effective_from: date
    set_by: str  # the role that set it


def decide_set_standard(
    district: str, amount: Decimal, effective_from: date, set_by: str
) -> list[StandardSet]:
    district = validate_org_path(district, depth=2, what="the district of a standard")
    if yuan(amount) <= ZERO:
        raise DomainError("the standard is a positive amount", code="invalid_amount")
    return [StandardSet(district, yuan(amount), effective_from, set_by)]


def standard_on(sets: Iterable[StandardSet], on: date) -> Decimal | None:
    """The standard in force on `on`: the latest effective_from not after it (the last set
    wins among equal dates); None when none was in force yet."""
    best: StandardSet | None = None
    for s in sets:
        if s.effective_from <= on and (best is None or s.effective_from >= best.effective_from):
            best = s
    return best.amount if best else None


def _household(household_size: int) -> int:
    if household_size < 1:
        raise DomainError("a household has at least one person", code="invalid_household")
    return household_size


def income_per_head(monthly_income: Decimal, household_size: int) -> Decimal:
    """The income per head rounded to the fen, for display only: the card rule never uses it."""
    return (monthly_income / _household(household_size)).quantize(CENT, rounding=ROUND_HALF_UP)


def card_line(standard: Decimal, factor: Decimal, household_size: int) -> Decimal:
    """The household's monthly income under which it gets a card: factor × standard × size."""
    return factor * standard * _household(household_size)


def card_eligible(
    monthly_income: Decimal, household_size: int, standard: Decimal, factor: Decimal
) -> bool:
    """Strictly below factor × standard a head, compared exactly (income < factor × standard ×
    household size): exactly at the line is not eligible."""
    return monthly_income < card_line(standard, factor, household_size)
