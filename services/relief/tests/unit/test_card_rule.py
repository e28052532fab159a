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
    assert card_eligible(D(per_head), 1, D(standard), D(factor)) is eligible


# The boundary, household by household: the line is 1.3 × 1,000.00 = 1,300.00 a head, so
# 1,300.00 × size for the household. Compared exactly, never on a rounded per-head figure.
@pytest.mark.parametrize(
    ("household_income", "size", "card"),
    [
        ("1299.99", 1, True),  # just under
        ("1300.00", 1, False),  # equal
        ("1300.01", 1, False),  # just over
        ("3899.99", 3, True),  # 1,299.996… a head (1,300.00 once rounded): still under
        ("3900.00", 3, False),  # equal: 1,300.00 a head
        ("3900.01", 3, False),  # 1,300.003… a head (1,300.00 once rounded): over
        ("9099.99", 7, True),  # 1,299.998… a head
        ("9100.00", 7, False),  # equal
        ("9100.01", 7, False),  # 1,300.001… a head
    ],
)
def test_the_card_rule_compares_household_income_exactly_with_factor_standard_and_size(
    household_income, size, card
):
    assert card_eligible(D(household_income), size, D("1000.00"), D("1.3")) is card
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
        assessment=Assessment(D("1000.00"), D("1.3"), ON),
    )
    assert any(isinstance(e, CardIssued) for e in events) is card


def test_income_3899_99_for_three_people_gets_a_card_showing_1300_00_a_head():
    """The issue's case: 1,299.997 a head is under 1,300.00; it is shown rounded."""
    events = decide_open(
        HardshipFile(),
        file_id="f1",
        member_id="m1",
        district="zhoushan/dinghai",
        category="relative",
        household_size=3,
        monthly_income=D("3899.99"),
        household_sealed="sealed",
        opened_by="zhoushan/dinghai",
        assessment=Assessment(D("1000.00"), D("1.3"), ON),
    )
    [card] = [e for e in events if isinstance(e, CardIssued)]
    assert card.per_head == D("1300.00")  # for display only


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


def test_income_per_head_is_rounded_to_the_fen_for_display():
    assert income_per_head(D("1000.00"), 3) == D("333.33")


def test_the_standard_on_a_date_is_the_latest_in_force():
    sets = [
        StandardSet("zhoushan/dinghai", D("700.00"), date(2025, 1, 1), "city_admin"),
        StandardSet("zhoushan/dinghai", D("770.00"), date(2026, 7, 1), "city_admin"),
    ]
    assert standard_on(sets, date(2024, 12, 31)) is None
    assert standard_on(sets, date(2026, 6, 30)) == D("700.00")
    assert standard_on(sets, date(2026, 7, 1)) == D("770.00")
