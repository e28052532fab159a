"""Money is Decimal yuan with two places, rounded half up; floats and malformed text are refused."""

from __future__ import annotations

from decimal import Decimal

import pytest
from union_events.errors import DomainError
from union_events.money import ZERO, written_amount, yuan


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3011", "3011.00"),
        ("3011.00", "3011.00"),
        (" 3011.5 ", "3011.50"),
        ("0.005", "0.01"),
        ("0.004", "0.00"),
        ("2.675", "2.68"),
        ("-1.005", "-1.01"),
        (".5", "0.50"),
        (3000, "3000.00"),
        (0, "0.00"),
        (Decimal("519000"), "519000.00"),
        (Decimal("1.125"), "1.13"),
    ],
)
def test_an_amount_becomes_yuan_with_two_places_rounded_half_up(
    value: str | int | Decimal, expected: str
) -> None:
    amount = yuan(value)
    assert amount == Decimal(expected)
    assert str(amount) == expected


@pytest.mark.parametrize(
    "value",
    [
        3011.0,
        0.1,
        "",
        "abc",
        "1e3",
        "1,000.00",
        "3011.00元",
        "NaN",
        "Infinity",
        Decimal("NaN"),
        Decimal("Infinity"),
        True,
        None,
        "9" * 40,
    ],
)
def test_a_float_or_malformed_amount_is_refused(value: object) -> None:
    with pytest.raises(DomainError) as raised:
        yuan(value)  # type: ignore[arg-type]
    assert raised.value.code == "invalid_amount"
    assert raised.value.status == 422


def test_zero_is_zero_yuan_with_two_places() -> None:
    assert str(ZERO) == "0.00"


@pytest.mark.parametrize(
    ("text", "positive", "expected"),
    [
        ("3011", True, "3011.00"),
        ("0.5", True, "0.50"),
        (" 12.30 ", True, "12.30"),
        ("0", False, "0.00"),
    ],
)
def test_a_written_amount_is_a_decimal_string_with_at_most_two_places(text, positive, expected):
    assert str(written_amount(text, positive=positive)) == expected


@pytest.mark.parametrize("value", ["1e3", "1.234", "-5.00", "0.00", "abc", 12.5, 3, ""])
def test_a_written_amount_refuses_floats_numbers_negatives_zero_and_three_places(value):
    with pytest.raises(DomainError) as refused:
        written_amount(value)
    assert refused.value.code == "invalid_amount"
