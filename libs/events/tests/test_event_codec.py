"""The event codec writes money (`Money`) with two places, as ever, and any other decimal (a
ratio) with the scale it is given: 0.655 stays 0.655."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from union_events.event_codec import EventCodec
from union_events.money import Money


@dataclass(frozen=True)
class Tier:
    up_to: Money | None
    ratio: Decimal


@dataclass(frozen=True)
class RulesSet:
    deductible: Money
    tiers: tuple[Tier, ...]
    factor: Decimal | None = None
    on: date = date(2026, 1, 1)


CODEC = EventCodec("test", {RulesSet: "union.test.rules_set.v1"})


def test_a_ratio_keeps_the_scale_it_is_given_and_comes_back_equal() -> None:
    event = RulesSet(Decimal("12.3"), (Tier(None, Decimal("0.655")),), Decimal("1.3"))

    event_type, data = CODEC.encode(event)

    assert data["tiers"] == [{"up_to": None, "ratio": "0.655"}]
    assert data["factor"] == "1.3"
    back = CODEC.decode(event_type, data)
    assert back.tiers[0].ratio == Decimal("0.655")
    assert str(back.tiers[0].ratio) == "0.655"


def test_money_is_still_written_with_two_places() -> None:
    event = RulesSet(Decimal("12.3"), (Tier(Decimal("3000"), Decimal("0.50")),))

    _, data = CODEC.encode(event)

    assert data["deductible"] == "12.30"
    assert data["tiers"] == [{"up_to": "3000.00", "ratio": "0.50"}]
    assert data["factor"] is None
    assert data["on"] == "2026-01-01"


def test_money_is_rounded_half_up_to_the_fen_and_a_decimal_never_has_an_exponent() -> None:
    event = RulesSet(Decimal("2.675"), (Tier(Decimal("1E+3"), Decimal("1E-1")),), Decimal("1E+1"))

    _, data = CODEC.encode(event)

    assert data["deductible"] == "2.68"
    assert data["tiers"] == [{"up_to": "1000.00", "ratio": "0.1"}]
    assert data["factor"] == "10"
