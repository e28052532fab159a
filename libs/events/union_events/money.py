"""Money: `Decimal` yuan with two places (分), never a float.

Amounts are rounded half up to the fen, as a cashier rounds. A field of an event that holds
money is typed `Money` (a `Decimal` to Python and to mypy): the event codec writes it with two
places ("3011.00"); a plain `Decimal` field (a ratio, a factor) is written with the scale it has.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any, Final

from .errors import DomainError

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


class TwoPlaces:
    """The mark of `Money`: yuan, written with two places."""

    def __repr__(self) -> str:
        return "TwoPlaces()"


TWO_PLACES: Final = TwoPlaces()
Money = Annotated[Decimal, TWO_PLACES]  # yuan with two places: how an event types an amount
_PLAIN = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")  # "3011", "3011.5", "-1.00"; no exponents


def yuan(value: str | int | Decimal) -> Decimal:
    """The amount in yuan with two places; a float or a malformed amount is refused."""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise _invalid(value, "an amount is a decimal string or an integer, never a float")
    if isinstance(value, str):
        if not _PLAIN.fullmatch(value.strip()):
            raise _invalid(value, "an amount is written like '3011.00'")
        value = Decimal(value.strip())
    amount = Decimal(value)
    if not amount.is_finite():
        raise _invalid(value, "an amount is a finite number")
    try:
        return amount.quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise _invalid(value, "the amount is too large") from None


def _invalid(value: object, why: str) -> DomainError:
    return DomainError(f"{why}: {value!r}", code="invalid_amount")


_WRITTEN = re.compile(r"\d{1,10}(\.\d{1,2})?")


def written_amount(value: object, *, positive: bool = True) -> Decimal:
    """An amount as a client writes it: a decimal string in yuan with at most two places
    ("3011.00"), never a float, never negative; above zero unless `positive` is False."""
    if not isinstance(value, str) or not _WRITTEN.fullmatch(value.strip()):
        raise DomainError(
            "an amount is a decimal string in yuan with at most two places, e.g. '3011.00'; "
            f"got {value!r}",
            code="invalid_amount",
        )
    amount = Decimal(value.strip()).quantize(CENT)
    if positive and amount <= 0:
        raise DomainError("an amount is above zero", code="invalid_amount")
    return amount


def contract_row(mapping: Mapping[str, Any]) -> dict[str, Any]:
    """A read model's row in the HTTP contract's forms: money (`Decimal`) as "3011.00", dates
    ISO 8601; other values as they are."""
    out: dict[str, Any] = {}
    for key, value in dict(mapping).items():
        if isinstance(value, Decimal):
            value = f"{value.quantize(CENT):.2f}"
        elif isinstance(value, date):
            value = value.isoformat()
        out[key] = value
    return out
