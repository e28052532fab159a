"""The account rules as tables: given events, when a command, then events or the error code."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import reduce

import pytest
from console.accounts import domain
from console.accounts.domain import Lockout, Manager
from console.accounts.events import (
    AccountCreated,
    AccountDisabled,
    AccountLocked,
    PasswordChanged,
    PasswordReset,
    SignedIn,
    SignInFailed,
)
from console.accounts.state import Account, evolve
from union_events.errors import DomainError

NOW = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
CITY = Manager("admin-1", "city_admin", "zhoushan")
DINGHAI = Manager("officer-1", "district_officer", "zhoushan/dinghai")
CLERK = Manager("clerk-1", "clerk", "zhoushan/dinghai/center")
LOCKOUT = Lockout(failures=5, minutes=15)


def given(*events: object) -> Account:
    return reduce(evolve, events, Account())  # type: ignore[arg-type]


def created(role: str = "clerk", org: str = "zhoushan/dinghai/center") -> AccountCreated:
    return AccountCreated("acc-1", "wang.li", "王丽", role, org, "hash-0", "admin-1", NOW)


def error_code(call: object) -> str:
    with pytest.raises(DomainError) as caught:
        call()  # type: ignore[operator]
    return caught.value.code


@pytest.mark.parametrize(
    ("manager", "role", "org", "refusal"),
    [
        (CITY, "clerk", "zhoushan/putuo/center", None),
        (CITY, "city_admin", "zhoushan", None),
        (CITY, "district_officer", "ningbo/haishu", "outside_jurisdiction"),
        (DINGHAI, "clerk", "zhoushan/dinghai/center", None),
        (DINGHAI, "district_officer", "zhoushan/dinghai", None),
        (DINGHAI, "clerk", "zhoushan/putuo/center", "outside_jurisdiction"),
        (DINGHAI, "city_admin", "zhoushan", "cannot_manage_role"),
        (CLERK, "clerk", "zhoushan/dinghai/center", "forbidden_role"),
        (CITY, "city_admin", "zhoushan/dinghai", "role_does_not_fit_org"),
        (CITY, "clerk", "zhoushan", "role_does_not_fit_org"),
        (CITY, "member", "zhoushan/dinghai", "invalid_role"),
        (CITY, "clerk", "Zhou Shan/dinghai", "invalid_org_path"),
    ],
)
def test_who_may_create_which_account(
    manager: Manager, role: str, org: str, refusal: str | None
) -> None:
    def create() -> list[object]:
        return list(
            domain.decide_create(
                Account(),
                account_id="acc-9",
                username="new.user",
                display_name="新同事",
                role=role,
                org=org,
                password_hash="h",
                manager=manager,
                now=NOW,
            )
        )

    if refusal is None:
        (event,) = create()
        assert isinstance(event, AccountCreated) and event.by == manager.account_id
    else:
        assert error_code(create) == refusal


@pytest.mark.parametrize(
    ("username", "display_name", "code"),
    [("wang.li", "王丽", "username_taken"), ("x", "王丽", None), ("ab", "王丽", None)],
)
def test_a_user_name_is_taken_once_and_follows_the_pattern(
    username: str, display_name: str, code: str | None
) -> None:
    state = given(created()) if code else Account()

    def create() -> object:
        return domain.decide_create(
            state,
            account_id="acc-9",
            username=username,
            display_name=display_name,
            role="clerk",
            org="zhoushan/dinghai",
            password_hash="h",
            manager=None,
            now=NOW,
        )

    assert error_code(create) == (code or "invalid_username")


def test_the_operator_makes_the_first_city_admin_by_unionctl() -> None:
    (event,) = domain.decide_create(
        Account(),
        account_id="acc-1",
        username="admin",
        display_name="市总管理员",
        role="city_admin",
        org="zhoushan",
        password_hash="h",
        manager=None,
        now=NOW,
    )
    assert isinstance(event, AccountCreated) and event.by == "unionctl"
    assert given(event).must_change_password


def sign_in(state: Account, ok: bool, at: datetime = NOW) -> list[object]:
    return list(domain.decide_sign_in(state, password_ok=ok, now=at, lockout=LOCKOUT))


def test_a_right_password_signs_in_and_clears_the_failures() -> None:
    state = given(created(), SignInFailed(NOW), SignInFailed(NOW))
    assert sign_in(state, True) == [SignedIn(NOW)]
    assert given(created(), SignInFailed(NOW), SignedIn(NOW)).failures == 0


@pytest.mark.parametrize(("failures_before", "locks"), [(0, False), (3, False), (4, True)])
def test_the_fifth_wrong_password_in_a_row_locks_for_fifteen_minutes(
    failures_before: int, locks: bool
) -> None:
    state = given(created(), *[SignInFailed(NOW)] * failures_before)
    events = sign_in(state, False)
    assert events[0] == SignInFailed(NOW)
    assert (AccountLocked(NOW + timedelta(minutes=15), NOW) in events) is locks


def test_a_locked_account_is_refused_even_with_the_right_password_until_the_time_is_up() -> None:
    state = given(created(), AccountLocked(NOW + timedelta(minutes=15), NOW))
    assert error_code(lambda: sign_in(state, True, NOW + timedelta(minutes=14))) == "account_locked"
    assert sign_in(state, True, NOW + timedelta(minutes=15)) == [
        SignedIn(NOW + timedelta(minutes=15))
    ]


def test_after_a_lock_the_count_starts_again() -> None:
    state = given(created(), *[SignInFailed(NOW)] * 4, AccountLocked(NOW, NOW))
    assert sign_in(state, False, NOW + timedelta(minutes=16)) == [
        SignInFailed(NOW + timedelta(minutes=16))
    ]


@pytest.mark.parametrize(
    ("state", "code"),
    [
        (Account(), "wrong_credentials"),
        (given(created(), AccountDisabled("a", NOW)), "account_disabled"),
    ],
)
def test_an_unknown_or_disabled_account_does_not_sign_in(state: Account, code: str) -> None:
    assert error_code(lambda: sign_in(state, True)) == code


@pytest.mark.parametrize(
    ("current_ok", "new", "reuses", "code"),
    [
        (True, "Zhoushan2026", False, None),
        (False, "Zhoushan2026", False, "wrong_current_password"),
        (True, "short1", False, "password_too_short"),
        (True, "onlyletterslong", False, "password_too_weak"),
        (True, "wang.li2026abc", False, "password_contains_username"),
        (True, "Zhoushan2026", True, "password_reused"),
    ],
)
def test_a_new_password_is_long_mixed_and_new(
    current_ok: bool, new: str, reuses: bool, code: str | None
) -> None:
    def change() -> list[object]:
        return list(
            domain.decide_change_password(
                given(created()),
                current_ok=current_ok,
                new_password=new,
                new_hash="h2",
                reuses_current=reuses,
                now=NOW,
            )
        )

    if code is None:
        assert change() == [PasswordChanged("h2", NOW)]
        assert not given(created(), PasswordChanged("h2", NOW)).must_change_password
    else:
        assert error_code(change) == code


def test_a_reset_gives_a_one_time_password_lifts_the_lock_and_ends_the_sessions() -> None:
    state = given(created(), PasswordChanged("h2", NOW), AccountLocked(NOW, NOW))
    (event,) = domain.decide_reset(state, manager=DINGHAI, password_hash="h3", now=NOW)
    after = given(created(), PasswordChanged("h2", NOW), AccountLocked(NOW, NOW), event)
    assert event == PasswordReset("h3", "officer-1", NOW)
    assert after.must_change_password and after.locked_until is None
    assert after.sessions_valid_after == NOW


def test_an_officer_cannot_reset_another_districts_account() -> None:
    state = given(created(org="zhoushan/putuo/center"))
    reset = lambda: domain.decide_reset(state, manager=DINGHAI, password_hash="h", now=NOW)  # noqa: E731
    assert error_code(reset) == "outside_jurisdiction"


def test_a_manager_disables_others_but_not_themselves() -> None:
    state = given(created())
    assert domain.decide_disable(state, manager=CITY, now=NOW) == [AccountDisabled("admin-1", NOW)]
    own = given(
        AccountCreated("admin-1", "admin", "管理员", "city_admin", "zhoushan", "h", "x", NOW)
    )
    assert error_code(lambda: domain.decide_disable(own, manager=CITY, now=NOW)) == (
        "cannot_disable_self"
    )
    disabled = given(created(), AccountDisabled("admin-1", NOW))
    assert domain.decide_disable(disabled, manager=CITY, now=NOW) == []
    assert not disabled.active and disabled.sessions_valid_after == NOW
