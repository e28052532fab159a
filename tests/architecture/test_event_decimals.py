"""Every amount in a service's events is typed `Money`, so the event codec writes it with two
places ("3011.00"); a plain `Decimal` is written with the scale it has, which is right for a
ratio and only for one. A new plain-`Decimal` field fails here until it is `Money` or listed."""

from __future__ import annotations

import dataclasses
import typing
from decimal import Decimal
from typing import Annotated, Any

import claims.domain.codec
import claims.domain.facts
import members.domain.codec
import members.domain.join_requests
import members.domain.plan_years
import outreach.domain.codec
import relief.domain.codec
from union_events.money import TwoPlaces

CODECS = (
    claims.domain.codec,
    claims.domain.facts,
    members.domain.codec,
    members.domain.join_requests,
    members.domain.plan_years,
    outreach.domain.codec,
    relief.domain.codec,
)
RATIOS = {  # exact, as configured: a card factor (1.3), a tier's ratio (0.655)
    "relief.domain.events.CardIssued.factor",
    "claims.domain.rules.Tier.ratio",
}


def _decimals(hint: Any, where: str, seen: set[type[Any]]) -> dict[str, bool]:
    """Each Decimal field reachable from `hint`: its name, and whether it is `Money`."""
    if typing.get_origin(hint) is Annotated:
        inner, *marks = typing.get_args(hint)
        if inner is Decimal:
            return {where: any(isinstance(m, TwoPlaces) for m in marks)}
        return _decimals(inner, where, seen)
    if hint is Decimal:
        return {where: False}
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        if hint in seen:
            return {}
        seen.add(hint)
        hints = typing.get_type_hints(hint, include_extras=True)
        found: dict[str, bool] = {}
        for field in dataclasses.fields(hint):
            name = f"{hint.__module__}.{hint.__qualname__}.{field.name}"
            found |= _decimals(hints[field.name], name, seen)
        return found
    found = {}
    for arg in typing.get_args(hint):
        found |= _decimals(arg, where, seen)
    return found


def test_every_decimal_in_an_event_is_money_except_the_listed_ratios() -> None:
    seen: set[type[Any]] = set()
    fields: dict[str, bool] = {}
    for module in CODECS:
        for cls in module.EVENT_TYPES:
            fields |= _decimals(cls, cls.__qualname__, seen)

    plain = {name for name, money in fields.items() if not money}
    assert plain == RATIOS
    assert len(fields) > 30  # the amounts were found at all
