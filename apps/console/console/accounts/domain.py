"""Staff accounts (工作人员账号): the state, the rules that decide, the events that record.

Pure and synchronous: no clock, no random ids, no I/O. The caller passes `now`, the new
account's id and the hash of a new password; whether a typed password matches the stored hash
is checked before (`passwords.py`) and comes in as `password_ok`. `evolve` only assigns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from union_events.errors import Conflict, DomainError, Forbidden, NotFound
from union_events.orgs import city_of, district_of, validate_org_path, within
from union_events.published.vocabularies import STAFF_ROLES

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
from .state import Account

ROLES: Final = STAFF_ROLES  # 市总管理员, 区县审核人员, 窗口经办人员 (most senior first)
USERNAME: Final = re.compile(r"[a-z][a-z0-9._-]{2,31}")
MIN_PASSWORD_LENGTH: Final = 10


@dataclass(frozen=True)
class Lockout:
    """Wrong passwords in a row that lock an account, and for how long."""

    failures: int = 5
    minutes: int = 15


@dataclass(frozen=True)
class Manager:
    """Who asks for an account change: a signed-in account's id, role and org path."""

    account_id: str
    role: str
    org: str


def check_username(username: str) -> str:
    cleaned = username.strip().lower()
    if not USERNAME.fullmatch(cleaned):
        raise DomainError(f"invalid user name {username!r}", code="invalid_username")
    return cleaned


def check_role_and_org(role: str, org: str) -> str:
    """The cleaned org path; a city admin's is a city, other staff work in a district."""
    if role not in ROLES:
        raise DomainError(f"unknown role {role!r}", code="invalid_role")
    cleaned = validate_org_path(org)
    depth = cleaned.count("/") + 1
    if role == "city_admin" and depth != 1:
        raise DomainError("a city admin's org path is a city", code="role_does_not_fit_org")
    if role != "city_admin" and depth < 2:
        raise DomainError(f"a {role}'s org path is in a district", code="role_does_not_fit_org")
    return cleaned


def may_manage(manager: Manager, role: str, org: str) -> None:
    """A city admin manages the accounts of their city; a district officer the officers and
    clerks of their district; a clerk none. `Forbidden` otherwise."""
    if manager.role == "city_admin":
        if within(org, city_of(manager.org)):
            return
        raise Forbidden(f"{org} is outside {manager.org}", code="outside_jurisdiction")
    if manager.role == "district_officer":
        if role == "city_admin":
            raise Forbidden("only a city admin manages city admins", code="cannot_manage_role")
        if within(org, district_of(manager.org)):
            return
        raise Forbidden(f"{org} is outside {manager.org}", code="outside_jurisdiction")
    raise Forbidden(f"a {manager.role} manages no accounts", code="forbidden_role")


def password_problem(password: str, username: str) -> str | None:
    """The code of what is wrong with a new password, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return "password_too_short"
    if not (re.search(r"[A-Za-z]", password) and re.search(r"\d", password)):
        return "password_too_weak"
    if username and username.lower() in password.lower():
        return "password_contains_username"
    return None


def decide_create(
    state: Account,
    *,
    account_id: str,
    username: str,
    display_name: str,
    role: str,
    org: str,
    password_hash: str,
    manager: Manager | None,  # None: the operator makes the first city admin (`unionctl`)
    now: datetime,
) -> list[AccountEvent]:
    if state.exists:
        raise Conflict(f"user name {username!r} is taken", code="username_taken")
    username = check_username(username)
    name = display_name.strip()
    if not name:
        raise DomainError("a display name is required", code="display_name_required")
    org = check_role_and_org(role, org)
    if manager is not None:
        may_manage(manager, role, org)
    by = manager.account_id if manager is not None else "unionctl"
    return [AccountCreated(account_id, username, name, role, org, password_hash, by, now)]


def _known(state: Account) -> None:
    if not state.exists:
        raise NotFound("no such account", code="account_not_found")


def decide_sign_in(
    state: Account, *, password_ok: bool, now: datetime, lockout: Lockout
) -> list[AccountEvent]:
    """`SignedIn`, or the failure recorded (locking at the last allowed one). An unknown,
    disabled or locked account is refused with no event."""
    if not state.exists:
        raise DomainError("wrong user name or password", code="wrong_credentials")
    if not state.active:
        raise Forbidden("the account is disabled", code="account_disabled")
    if state.locked_at(now):
        raise Forbidden("the account is locked", code="account_locked", until=state.locked_until)
    if password_ok:
        return [SignedIn(now)]
    failed: list[AccountEvent] = [SignInFailed(now)]
    if state.failures + 1 >= lockout.failures:
        failed.append(AccountLocked(now + timedelta(minutes=lockout.minutes), now))
    return failed


def decide_change_password(
    state: Account,
    *,
    current_ok: bool,
    new_password: str,
    new_hash: str,
    reuses_current: bool,
    now: datetime,
) -> list[AccountEvent]:
    _known(state)
    if not state.active:
        raise Forbidden("the account is disabled", code="account_disabled")
    if not current_ok:
        raise DomainError("the current password is wrong", code="wrong_current_password")
    problem = password_problem(new_password, state.username)
    if problem:
        raise DomainError("the new password is not strong enough", code=problem)
    if reuses_current:
        raise DomainError("choose a password other than the current one", code="password_reused")
    return [PasswordChanged(new_hash, now)]


def decide_reset(
    state: Account, *, manager: Manager, password_hash: str, now: datetime
) -> list[AccountEvent]:
    _known(state)
    may_manage(manager, state.role, state.org)
    return [PasswordReset(password_hash, manager.account_id, now)]


def decide_disable(state: Account, *, manager: Manager, now: datetime) -> list[AccountEvent]:
    _known(state)
    may_manage(manager, state.role, state.org)
    if state.account_id == manager.account_id:
        raise DomainError("you cannot disable your own account", code="cannot_disable_self")
    return [AccountDisabled(manager.account_id, now)] if state.active else []


def decide_enable(state: Account, *, manager: Manager, now: datetime) -> list[AccountEvent]:
    _known(state)
    may_manage(manager, state.role, state.org)
    return [] if state.active else [AccountEnabled(manager.account_id, now)]
