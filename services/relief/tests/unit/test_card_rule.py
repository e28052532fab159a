"""The hardship card's rule at its boundary: income per head strictly below factor × 低保."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from relief.domain.events import CardIssued, FileOpened
from relief.domain.hardship_file import Assessment, HardshipFile, decide_open
from relief.domain.standards import StandardSet, card_eligible, income_per_head, standard_on

D = Decimal
ON = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("per_head", "standard", "factor", "eligible"),
    [
        ("1000.99", "770.00", "1.3", True),  # 1.3 × 770 = 1001.00: one fen below
        ("1001.00", "770.00", "1.3", False),  # exactly at the line: not below it
        ("1001.01", "770.00", "1.3", False),  # one fen above
        ("0.00", "770.00", "1.3", True),
        ("769.99", "770.00", "1.0", True),  # another district's factor (deep hardship: 1×)
        ("770.00", "770.00", "1.0", False),
        ("1154.99", "770.00", "1.5", True),  # 1.5 × 770 = 1155.00
        ("1155.00", "770.00", "1.5", False),
    ],
)
def test_a_card_needs_income_per_head_strictly_below_factor_times_the_standard(
    per_head, standard, factor, eligible
):
    assert card_eligible(D(per_head), D(standard), D(factor)) is eligible


@pytest.mark.parametrize(
    ("household_income", "size", "card"),
    [
        ("3003.00", 3, False),  # 1001.00 a head: at the line
        ("3002.97", 3, True),  # 1000.99 a head
        ("3003.03", 3, False),  # 1001.01 a head
    ],
)
def test_opening_a_file_issues_the_card_only_below_the_line(household_income, size, card):
    events = decide_open(
        HardshipFile(),
        file_id="f1",
        member_id="m1",
        district="zhoushan/dinghai",
        category="relative",
        household_size=size,
        monthly_income=D(household_income),
        household_sealed="sealed",
        opened_by="zhoushan/dinghai",
        assessment=Assessment(D("770.00"), D("1.3"), ON),
    )
    assert isinstance(events[0], FileOpened)
    assert any(isinstance(e, CardIssued) for e in events) is card


def test_income_per_head_rounds_to_the_fen():
    assert income_per_head(D("1000.00"), 3) == D("333.33")


def test_the_standard_on_a_date_is_the_latest_in_force():
    sets = [
        StandardSet("zhoushan/dinghai", D("700.00"), date(2025, 1, 1), "city_admin"),
        StandardSet("zhoushan/dinghai", D("770.00"), date(2026, 7, 1), "city_admin"),
    ]
    assert standard_on(sets, date(2024, 12, 31)) is None
    assert standard_on(sets, date(2026, 6, 30)) == D("700.00")
    assert standard_on(sets, date(2026, 7, 1)) == D("770.00")
