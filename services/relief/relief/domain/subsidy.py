"""The monthly living subsidy of hardship cards, and the quarterly follow-up visits.

A card is paid once per month: the payment is the only event of stream
`subsidy-<card>-<yyyy-mm>`, appended at version 0, so a rerun (or a run after a crash) finds
the stream there and skips the card.
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
        raise DomainError(f"a month is written like 2026-11, not {month!r}", code="invalid_month")
    return int(match.group(1)), int(match.group(2))


def subsidy_stream(card_id: str, month: str) -> str:
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
