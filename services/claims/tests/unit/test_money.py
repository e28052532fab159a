"""Money is Decimal yuan with two places, rounded half up; floats and malformed text are refused."""

from __future__ import annotations

from decimal import Decimal

import pytest
from claims.domain.money import ZERO, yuan
from union_events.errors import DomainError


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
