"""A hardship file's state, folded from its events. `evolve_file` only assigns: the rules
are in `hardship_file.py`."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from union_events.money import ZERO

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


@dataclass(frozen=True)
class HardshipFile:
    status: str = "none"  # none | open | closed
    file_id: str = ""
    member_id: str = ""
    district: str = ""
    category: str = ""
    household_size: int = 0
    monthly_income: Decimal = ZERO
    household_sealed: str = ""
    opened_on: date | None = None
    review_due: date | None = None
    card_id: str | None = None  # the active card, if any
    cards_issued: int = 0
    card_since: date | None = None
    last_visit: date | None = None
    erased: bool = False
    closed_reason: str | None = None


def evolve_file(state: HardshipFile, event: FileEvent) -> HardshipFile:
    match event:
        case FileOpened():
            return HardshipFile(
                status="open",
                file_id=event.file_id,
                member_id=event.member_id,
                district=event.district,
                category=event.category,
                household_size=event.household_size,
                monthly_income=event.monthly_income,
                household_sealed=event.household_sealed,
                opened_on=event.opened_on,
                review_due=event.review_due,
            )
        case FileReviewed():
            return replace(
                state,
                category=event.category,
                household_size=event.household_size,
                monthly_income=event.monthly_income,
                household_sealed=event.household_sealed,
                review_due=event.review_due,
            )
        case CardIssued():
            return replace(
                state,
                card_id=event.card_id,
                cards_issued=state.cards_issued + 1,
                card_since=event.on,
                last_visit=None,
            )
        case CardWithdrawn():
            return replace(state, card_id=None, card_since=None)
        case VisitRecorded():
            return replace(state, last_visit=event.on)
        case FileMoved():
            return replace(state, district=event.to_district)
        case HouseholdErased():
            return replace(state, erased=True, household_sealed="")
        case FileClosed():
            return replace(state, status="closed", closed_reason=event.reason)
    return state
