"""The monthly living subsidy of hardship cards, and the quarterly follow-up visits.

A member is paid once per month, whatever cards the data holds: the payment is the only event
of stream `subsidy-<member>-<yyyy-mm>`, appended at version 0, so a rerun (or a run after a
crash, or a second card of the same member) finds the stream there and is skipped. Months paid
before that guard have their payments in `subsidy-<card>-<yyyy-mm>`; those count as paid too.

A month is paid once it has begun (in the federation's time zone): not in advance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from union_events.errors import DomainError

from .events import SubsidyPaid

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
VISIT_EVERY_MONTHS = 3
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class ActiveCard:
    card_id: str
    file_id: str
    member_id: str
    district: str
    since: date
    last_visit: date | None = None


def parse_month(month: str) -> tuple[int, int]:
    match = _MONTH.match(month.strip())
    if not match:
        raise DomainError(
            f"a month is written year-month, like 2026-11, not {month!r}", code="invalid_month"
        )
    year = int(match.group(1))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DomainError(
            f"a month is of a year from {FIRST_YEAR} to {LAST_YEAR}, not {month!r}",
            code="invalid_month",
        )
    return year, int(match.group(2))


MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def month_in_words(month: str) -> str:
    """`2027-06` → `June 2027`."""
    year, mon = parse_month(month)
    return f"{MONTH_NAMES[mon - 1]} {year}"


def day_in_words(day: date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def first_day(month: str) -> date:
    year, mon = parse_month(month)
    return date(year, mon, 1)


def require_begun(month: str, today: date) -> str:
    """The month, once it has begun on `today`; a month still to come is refused (422)."""
    if first_day(month) > today:
        raise DomainError(
            f"{month_in_words(month)} has not begun: today is {day_in_words(today)}, and a "
            "month's subsidies are paid from its first day on",
            code="month_not_begun",
            month=month,
        )
    return month.strip()


def subsidy_stream(member_id: str, month: str) -> str:
    """The guard: one payment per member and month."""
    return f"subsidy-{member_id}-{month}"


def card_subsidy_stream(card_id: str, month: str) -> str:
    """Where payments were before the per-member guard (read only, to skip what was paid)."""
    return f"subsidy-{card_id}-{month}"


def due_in(card: ActiveCard, month: str) -> bool:
    """A card is paid for a month when it was issued before the month ended."""
    year, mon = parse_month(month)
    return (card.since.year, card.since.month) <= (year, mon)


def subsidy_for(card: ActiveCard, month: str, amount: Decimal, on: date) -> SubsidyPaid:
    return SubsidyPaid(card.card_id, card.file_id, card.member_id, card.district, month, amount, on)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = [31, 29 if _leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month]
    return date(year, month + 1, min(day.day, last))


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def visit_due(card: ActiveCard) -> date:
    """Follow-up every quarter: three months after the last visit, or after issue."""
    return add_months(card.last_visit or card.since, VISIT_EVERY_MONTHS)


def overdue(card: ActiveCard, on: date) -> bool:
    return visit_due(card) < on
