"""A staff account as its events leave it. `evolve` only assigns, never checks."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from .events import (
    AccountCreated,
    AccountDisabled,
    AccountEnabled,
    AccountEvent,
    AccountLocked,
    PasswordChanged,
    PasswordReset,
    SignedIn,
    SignInFailed,
)


@dataclass(frozen=True)
class Account:
    account_id: str = ""
    username: str = ""
    display_name: str = ""
    role: str = ""
    org: str = ""
    password_hash: str = ""
    must_change_password: bool = True
    active: bool = True
    failures: int = 0  # wrong passwords in a row since the last sign-in or lock
    locked_until: datetime | None = None
    sessions_valid_after: datetime | None = None  # sessions begun before are over
    created_at: datetime | None = None
    created_by: str = ""
    last_sign_in: datetime | None = None

    @property
    def exists(self) -> bool:
        return bool(self.account_id)

    def locked_at(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until


def evolve(state: Account, event: AccountEvent) -> Account:
    match event:
        case AccountCreated():
            return Account(
                account_id=event.account_id,
                username=event.username,
                display_name=event.display_name,
                role=event.role,
                org=event.org,
                password_hash=event.password_hash,
                created_at=event.at,
                created_by=event.by,
            )
        case PasswordChanged():
            return replace(state, password_hash=event.password_hash, must_change_password=False)
        case PasswordReset():
            return replace(
                state,
                password_hash=event.password_hash,
                must_change_password=True,
                failures=0,
                locked_until=None,
                sessions_valid_after=event.at,
            )
        case AccountDisabled():
            return replace(state, active=False, sessions_valid_after=event.at)
        case AccountEnabled():
            return replace(state, active=True)
        case SignInFailed():
            return replace(state, failures=state.failures + 1)
        case AccountLocked():
            return replace(state, failures=0, locked_until=event.until)
        case SignedIn():
            return replace(state, failures=0, locked_until=None, last_sign_in=event.at)
    return state
