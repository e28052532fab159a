"""JSON encoding of event data as stored in the log and sent on the wire.

Writing is orjson's (about ten times the standard library's speed); what it refuses
(integers past 64 bits, a nesting deeper than it goes) the standard library writes or
refuses, as before. The text is compact UTF-8 (not \\u-escaped); `Decimal` as a string,
dates and times by their `isoformat()`, UUIDs and pydantic models as JSON. Differences from
the standard library's text: a float's exponent (`1.5e-7`, not `1.5e-07`: the same number),
and NaN or an infinity is written `null` (not the `NaN` that is no JSON).

Reading stays with the standard library: orjson reads an integer past 64 bits as a float,
silently, and telling such text apart first costs more than the standard library's parse.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import orjson


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


# One encoder for every call: json.dumps with options builds a new encoder each time.
_encoder = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, default=_default)
# Dates, times and dataclasses go to `_default` as with the standard library (its
# `isoformat()`, and no dataclass encoded by accident); dict keys that are numbers, booleans
# or null are written as strings, as the standard library writes them.
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
_OPTIONS |= orjson.OPT_NON_STR_KEYS


def dumpb(value: Any) -> bytes:
    """`value` as UTF-8 JSON bytes."""
    try:
        return orjson.dumps(value, default=_default, option=_OPTIONS)
    except TypeError:  # orjson.JSONEncodeError: let the standard library encode or refuse it
        return _encoder.encode(value).encode()


def dumps(value: Any) -> str:
    try:
        return orjson.dumps(value, default=_default, option=_OPTIONS).decode()
    except TypeError:  # orjson.JSONEncodeError: let the standard library encode or refuse it
        return _encoder.encode(value)


def loads(text: str | bytes) -> Any:
    return json.loads(text)
