"""A hardship file (困难职工建档, stream `file-<id>`) and its hardship card (爱心帮扶证):
every `decide_*`. open → (reviewed yearly; the card is issued or withdrawn on each assessment)
→ closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from union_events.errors import Conflict, DomainError, NotFound
from union_events.money import ZERO, yuan

from .events import (
    CardIssued,
    CardWithdrawn,
    FileClosed,
    FileEvent,
    FileMoved,
    FileOpened,
    FileReviewed,
    HouseholdErased,
    VisitRecorded,
)
from .file_state import HardshipFile, evolve_file
from .standards import card_eligible, income_per_head

CATEGORIES = ("deep", "relative", "accident_or_illness")


@dataclass(frozen=True)
class Assessment:
    """What the card decision needs: the district's standard that day and the factor."""

    standard: Decimal | None
    factor: Decimal
    on: date


def next_review(on: date) -> date:
    """The annual review: a year after the assessment (28 Feb for a 29 Feb)."""
    try:
        return on.replace(year=on.year + 1)
    except ValueError:
        return on.replace(year=on.year + 1, day=28)


def _checked(category: str, household_size: int, monthly_income: Decimal) -> Decimal:
    if category not in CATEGORIES:
        raise DomainError(f"a category is one of {', '.join(CATEGORIES)}", code="unknown_category")
    income = yuan(monthly_income)
    if income < ZERO:
        raise DomainError("the household income cannot be negative", code="invalid_amount")
    income_per_head(income, household_size)  # refuses an empty household
    return income


def _card(state: HardshipFile, a: Assessment) -> list[CardIssued | CardWithdrawn]:
    """Issue a card when eligible and none is active; withdraw the active one when not."""
    if a.standard is None:
        raise DomainError(
            f"no minimum living standard is set for {state.district} on {a.on}",
            code="no_standard",
        )
    eligible = card_eligible(state.monthly_income, state.household_size, a.standard, a.factor)
    if eligible and state.card_id is None:
        card_id = f"{state.file_id}-{state.cards_issued + 1}"
        per_head = income_per_head(state.monthly_income, state.household_size)  # shown only
        return [CardIssued(card_id, per_head, a.standard, a.factor, a.on)]
    if not eligible and state.card_id is not None:
        return [CardWithdrawn(state.card_id, "not_eligible", a.on)]
    return []


def decide_open(
    state: HardshipFile,
    *,
    file_id: str,
    member_id: str,
    district: str,
    category: str,
    household_size: int,
    monthly_income: Decimal,
    household_sealed: str,
    opened_by: str,
    assessment: Assessment,
) -> list[FileEvent]:
    if state.status != "none":
        raise Conflict(f"the file {file_id} exists already", code="file_exists")
    income = _checked(category, household_size, monthly_income)
    opened = FileOpened(
        file_id,
        member_id,
        district,
        category,
        household_size,
        income,
        household_sealed,
        opened_by,
        assessment.on,
        next_review(assessment.on),
    )
    return [opened, *_card(evolve_file(state, opened), assessment)]


def require_open(state: HardshipFile) -> None:
    if state.status == "none":
        raise NotFound("no such hardship file", code="file_not_found")
    if state.status == "closed":
        raise Conflict("the hardship file is closed", code="file_closed")


def decide_review(
    state: HardshipFile,
    *,
    category: str,
    household_size: int,
    monthly_income: Decimal,
    household_sealed: str,
    assessment: Assessment,
) -> list[FileEvent]:
    """The annual review: new figures, a new due date, and the card issued or withdrawn."""
    require_open(state)
    income = _checked(category, household_size, monthly_income)
    reviewed = FileReviewed(
        category,
        household_size,
        income,
        household_sealed,
        assessment.on,
        next_review(assessment.on),
    )
    return [reviewed, *_card(evolve_file(state, reviewed), assessment)]


def decide_close(state: HardshipFile, *, reason: str, on: date) -> list[FileEvent]:
    require_open(state)
    if not reason.strip():
        raise DomainError("say why the file is closed", code="reason_required")
    events: list[FileEvent] = []
    if state.card_id is not None:
        events.append(CardWithdrawn(state.card_id, "file_closed", on))
    return [*events, FileClosed(reason.strip(), on)]


def decide_visit(state: HardshipFile, *, on: date, by: str, today: date) -> list[FileEvent]:
    """A follow-up of the active card, dated between the card's issue (or its last visit) and
    today: a visit in the future, or before what is recorded, is refused (422)."""
    require_open(state)
    if state.card_id is None:
        raise Conflict("follow-up visits are for files with an active card", code="no_card")
    if on > today:
        raise DomainError(
            f"a visit on {on} is in the future (today is {today})", code="visit_in_future"
        )
    if state.card_since is not None and on < state.card_since:
        raise DomainError(
            f"a visit on {on} is before the card {state.card_id} was issued on {state.card_since}",
            code="visit_before_card",
        )
    if state.last_visit is not None and on < state.last_visit:
        raise DomainError(
            f"a visit on {on} is before the last recorded visit, on {state.last_visit}",
            code="visit_before_last",
        )
    return [VisitRecorded(on, by)]


def decide_move(state: HardshipFile, *, to_district: str, on: date) -> list[FileEvent]:
    """A transfer heard from members: the file follows the member (closed ones stay)."""
    if state.status != "open" or state.district == to_district:
        return []
    return [FileMoved(state.district, to_district, on)]


def decide_erase(state: HardshipFile, *, on: date) -> list[FileEvent]:
    if state.status == "none" or state.erased:
        return []
    return [HouseholdErased(on)]


__all__ = [
    "CATEGORIES",
    "Assessment",
    "HardshipFile",
    "decide_close",
    "decide_erase",
    "decide_move",
    "decide_open",
    "decide_review",
    "decide_visit",
    "evolve_file",
    "next_review",
    "require_open",
]
