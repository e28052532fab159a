"""The federation's "today": one time zone decides it everywhere (`UNION_TIMEZONE`, default
Asia/Shanghai), not the server's UTC date: a discharge on 2 December in Beijing is not in the
future at 00:30 Beijing time, 16:30 UTC the day before."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import cache
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import DomainError

DEFAULT_TIMEZONE: Final = "Asia/Shanghai"

Clock = Callable[[], date]  # what consumers and handlers are given instead of date.today


@cache
def zone(name: str = DEFAULT_TIMEZONE) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"unknown time zone {name!r} (UNION_TIMEZONE), e.g. Asia/Shanghai"
        ) from exc


def utc_now() -> datetime:
    """The instant "today" is read from (a test may monkeypatch it to a fixed instant)."""
    return datetime.now(UTC)


def today(timezone: str = DEFAULT_TIMEZONE) -> date:
    """Today's date in the federation's time zone."""
    return utc_now().astimezone(zone(timezone)).date()


def clock_for(timezone: str = DEFAULT_TIMEZONE) -> Clock:
    zone(timezone)  # a bad name fails at start-up, not at the first request
    return lambda: today(timezone)


def check_period(start: date, end: date, names: tuple[str, str] = ("from", "to")) -> None:
    """A period's first and last day (both included): 422 `invalid_period` when it ends before
    it begins, in the same words in every service (`names`: the fields as the caller wrote
    them, a report's `from` and `to` by default)."""
    if start > end:
        first, last = names
        raise DomainError(
            f"the period ends before it begins: '{first}' {start.isoformat()} is after "
            f"'{last}' {end.isoformat()}",
            code="invalid_period",
        )
