"""What the console's log records about a staff account: who changed what, and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class AccountCreated:
    account_id: str
    username: str
    display_name: str
    role: str
    org: str
    password_hash: str  # a one-time password's; it must be changed at the first sign-in
    by: str  # the creating account's id, or `unionctl` for the first city admin
    at: datetime


@dataclass(frozen=True)
class PasswordChanged:  # by the account's holder
    password_hash: str
    at: datetime


@dataclass(frozen=True)
class PasswordReset:  # by a manager: a new one-time password, the lock lifted
    password_hash: str
    by: str
    at: datetime


@dataclass(frozen=True)
class AccountDisabled:
    by: str
    at: datetime


@dataclass(frozen=True)
class AccountEnabled:
    by: str
    at: datetime


@dataclass(frozen=True)
class SignInFailed:
    at: datetime


@dataclass(frozen=True)
class AccountLocked:
    until: datetime
    at: datetime


@dataclass(frozen=True)
class SignedIn:
    at: datetime


AccountEvent = (
    AccountCreated
    | PasswordChanged
    | PasswordReset
    | AccountDisabled
    | AccountEnabled
    | SignInFailed
    | AccountLocked
    | SignedIn
)
