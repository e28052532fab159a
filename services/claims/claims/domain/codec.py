"""Domain events ↔ stored events: `union.claims.claim.<event>.v1` and JSON data.

Money travels as a string with two places ("3011.00"), dates as ISO strings, invoices as a list
of objects. A change to an event's fields is a new version (`.v2`) with an upcaster, never an
edit of `.v1`.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .events import (
    ClaimApproved,
    ClaimAssessed,
    ClaimEvent,
    ClaimFiled,
    ClaimPaid,
    ClaimRejected,
    ClaimReturned,
    EligibilityAwaited,
    Invoice,
)
from .money import CENT

EVENT_TYPES: dict[type[Any], str] = {
    ClaimFiled: "union.claims.claim.filed.v1",
    EligibilityAwaited: "union.claims.claim.eligibility_awaited.v1",
    ClaimAssessed: "union.claims.claim.assessed.v1",
    ClaimApproved: "union.claims.claim.approved.v1",
    ClaimPaid: "union.claims.claim.paid.v1",
    ClaimRejected: "union.claims.claim.rejected.v1",
    ClaimReturned: "union.claims.claim.returned.v1",
}
EVENT_CLASSES = {name: cls for cls, name in EVENT_TYPES.items()}

Codec = tuple[Callable[[Any], Any], Callable[[Any], Any]]  # (to JSON, from JSON)


class UnknownEvent(ValueError):
    """An event type (or object) this service does not know."""


def money_text(amount: Decimal) -> str:
    """3011 → "3011.00": never an exponent, always two places."""
    return format(amount.quantize(CENT, rounding=ROUND_HALF_UP), "f")


def _same(value: Any) -> Any:
    return value


def _codec(hint: Any) -> Codec:
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
    hints = typing.get_type_hints(cls)
    fields = [(f.name, *_codec(hints[f.name])) for f in dataclasses.fields(cls)]

    def out(value: Any) -> dict[str, Any]:
        return {name: to(getattr(value, name)) for name, to, _ in fields}

    def back(data: Mapping[str, Any]) -> Any:
        return cls(**{name: frm(data[name]) for name, _, frm in fields if name in data})

    return out, back


_CODECS = {cls: _record(cls) for cls in (*EVENT_TYPES, Invoice)}


def encode(event: object) -> tuple[str, dict[str, Any]]:
    cls = type(event)
    if cls not in EVENT_TYPES:
        raise UnknownEvent(f"not a claims event: {cls.__name__}")
    data: dict[str, Any] = _CODECS[cls][0](event)
    return EVENT_TYPES[cls], data


def decode(event_type: str, data: Mapping[str, Any]) -> ClaimEvent:
    cls = EVENT_CLASSES.get(event_type)
    if cls is None:
        raise UnknownEvent(f"not a claims event type: {event_type}")
    event: ClaimEvent = _CODECS[cls][1](data)
    return event
