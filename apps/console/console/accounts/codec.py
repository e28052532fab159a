"""Account events to and from what the log stores: `console.account.<name>.v1` and JSON."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

from union_events.commands import Aggregate

from . import events as e
from .state import Account, evolve

TYPES: Final[dict[str, type[Any]]] = {
    "console.account.created.v1": e.AccountCreated,
    "console.account.password_changed.v1": e.PasswordChanged,
    "console.account.password_reset.v1": e.PasswordReset,
    "console.account.disabled.v1": e.AccountDisabled,
    "console.account.enabled.v1": e.AccountEnabled,
    "console.account.sign_in_failed.v1": e.SignInFailed,
    "console.account.locked.v1": e.AccountLocked,
    "console.account.signed_in.v1": e.SignedIn,
}
_NAMES: Final = {cls: name for name, cls in TYPES.items()}
_TIMES: Final = ("at", "until")
STREAM_PREFIX: Final = "staff-account-"


def stream_id(username: str) -> str:
    """One stream per user name: appending a new one at version 0 keeps names unique."""
    return f"{STREAM_PREFIX}{username}"


def encode(event: e.AccountEvent) -> tuple[str, Mapping[str, Any]]:
    data = dataclasses.asdict(event)
    for key in _TIMES:
        if key in data:
            data[key] = data[key].isoformat()
    return _NAMES[type(event)], data


def decode(event_type: str, data: Mapping[str, Any]) -> e.AccountEvent:
    values = dict(data)
    for key in _TIMES:
        if key in values:
            values[key] = datetime.fromisoformat(values[key])
    event: e.AccountEvent = TYPES[event_type](**values)
    return event


ACCOUNT: Final = Aggregate[Account, e.AccountEvent](
    initial=Account, evolve=evolve, encode=encode, decode=decode
)
