"""Domain events (frozen dataclasses) ↔ stored events (a versioned type and JSON data).

Worked out once per class from its type hints: dates travel as ISO strings, `Decimal` money as
a string with two places ("3011.00", never an exponent), an `Exact` decimal (a ratio) as a string
with the scale it was given ("0.655" stays "0.655"), tuples as lists, nested dataclasses as
objects, optional fields as null. A field missing from stored data takes its default, so adding
a field with a default stays readable; any other change is a new version with an upcaster.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

Codec = tuple[Callable[[Any], Any], Callable[[Any], Any]]  # (to JSON, from JSON)
CENT = Decimal("0.01")
_EXACT = "exact scale"
# A decimal that is not money (a ratio, a rate): kept with the scale it was given.
Exact = Annotated[Decimal, _EXACT]


class UnknownEvent(ValueError):
    """An event type (or object) this service does not know."""


def money_text(amount: Decimal) -> str:
    """3011 → "3011.00": never an exponent, always two places."""
    return format(amount.quantize(CENT, rounding=ROUND_HALF_UP), "f")


class EventCodec:
    """`encode(event) -> (type, data)` and `decode(type, data) -> event` for one service."""

    def __init__(self, service: str, event_types: Mapping[type[Any], str]) -> None:
        self.service = service
        self.event_types = dict(event_types)
        self.event_classes = {name: cls for cls, name in self.event_types.items()}
        self._codecs = {cls: _record(cls) for cls in self.event_types}

    def encode(self, event: object) -> tuple[str, dict[str, Any]]:
        cls = type(event)
        if cls not in self.event_types:
            raise UnknownEvent(f"not a {self.service} event: {cls.__name__}")
        data: dict[str, Any] = self._codecs[cls][0](event)
        return self.event_types[cls], data

    def decode(self, event_type: str, data: Mapping[str, Any]) -> Any:
        cls = self.event_classes.get(event_type)
        if cls is None:
            raise UnknownEvent(f"not a {self.service} event type: {event_type}")
        return self._codecs[cls][1](data)


def _same(value: Any) -> Any:
    return value


def exact_text(value: Decimal) -> str:
    """0.655 → "0.655": the scale given, never an exponent."""
    return format(value, "f")


def _codec(hint: Any) -> Codec:
    if typing.get_origin(hint) is Annotated:
        if _EXACT in hint.__metadata__:
            return exact_text, Decimal
        return _codec(typing.get_args(hint)[0])
    if hint is date:
        return date.isoformat, date.fromisoformat
    if hint is Decimal:
        return money_text, Decimal
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        inner = [h for h in typing.get_args(hint) if h is not type(None)]
        out, back = _codec(inner[0]) if len(inner) == 1 else (_same, _same)
        return (lambda v: None if v is None else out(v)), (lambda v: None if v is None else back(v))
    if typing.get_origin(hint) is tuple:
        out, back = _codec(typing.get_args(hint)[0])
        return (lambda v: [out(x) for x in v]), (lambda v: tuple(back(x) for x in v))
    if dataclasses.is_dataclass(hint):
        return _record(hint)
    return _same, _same


def _record(cls: Any) -> Codec:
    """A dataclass as a JSON object, field by field (worked out once per class)."""
    hints = typing.get_type_hints(cls, include_extras=True)
    fields = [(f.name, *_codec(hints[f.name])) for f in dataclasses.fields(cls)]

    def out(value: Any) -> dict[str, Any]:
        return {name: to(getattr(value, name)) for name, to, _ in fields}

    def back(data: Mapping[str, Any]) -> Any:
        return cls(**{name: frm(data[name]) for name, _, frm in fields if name in data})

    return out, back
