"""The closed lists outreach works with, and the checks of the values clerks type in.

Each check returns the clean value or raises `DomainError` with a message a clerk can act on.
Org paths follow the platform's one grammar (`union_events.orgs`), not one of outreach's own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal

from union_events.errors import DomainError
from union_events.money import written_amount
from union_events.published.vocabularies import (
    CAMPAIGN_KINDS,
    INTAKE_CHANNELS,
    INTAKE_KINDS,
    POINT_KINDS,
    CampaignKind,
)
from union_events.published.vocabularies import IntakeChannel as Channel

AMENITIES = ("hot_water", "microwave", "first_aid_kit", "wifi", "charging")
SERVICES = (
    "legal_aid",
    "policy_promotion",
    "hardship_intake",
    "union_enrolment",
    "medical_reimbursement",
    "free_clinic",
    "repairs",
    "haircuts",
    "other",
)
CHANNELS: tuple[Channel, ...] = INTAKE_CHANNELS
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
__all__ = [
    "AMENITIES",
    "CAMPAIGN_KINDS",
    "CHANNELS",
    "INTAKE_KINDS",
    "POINT_KINDS",
    "SERVICES",
    "WEEKDAYS",
    "CampaignKind",
    "Channel",
]

_HOURS = re.compile(r"([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)")
# Personal data must not slip into free text: ID numbers (身份证号) and mobile numbers.
_ID_OR_PHONE = re.compile(r"\d{17}[\dXx]|(?<!\d)1[3-9]\d{9}(?!\d)")
CENT = Decimal("0.01")


def one_of(value: str, allowed: Iterable[str], what: str) -> str:
    allowed = tuple(allowed)
    if value not in allowed:
        raise DomainError(
            f"unknown {what} {value!r}; it is one of {', '.join(allowed)}", code=f"invalid_{what}"
        )
    return value


def many_of(values: Iterable[str], allowed: Iterable[str], what: str) -> tuple[str, ...]:
    """Each value checked, duplicates dropped, in the order of `allowed`."""
    allowed = tuple(allowed)
    chosen = {one_of(v, allowed, what) for v in values}
    return tuple(a for a in allowed if a in chosen)


def opening_hours(hours: Mapping[str, str]) -> tuple[str, ...]:
    """{"mon": "08:00-18:00", ...} → ("mon 08:00-18:00", ...) in weekday order."""
    out = []
    for day, span in hours.items():
        one_of(day, WEEKDAYS, "weekday")
        match = _HOURS.fullmatch(span.strip())
        start, end = span.strip().split("-", 1) if match else ("", "")
        if match is None or start >= end or (end.startswith("24") and end != "24:00"):
            raise DomainError(
                f"opening hours for {day} are 'HH:MM-HH:MM' with the start before the end, "
                f"e.g. '08:00-18:00'; got {span!r}",
                code="invalid_hours",
            )
    for day in WEEKDAYS:
        if day in hours:
            out.append(f"{day} {hours[day].strip()}")
    return tuple(out)


def free_text(text: str, what: str, limit: int = 1000) -> str:
    text = text.strip()
    if len(text) > limit:
        raise DomainError(f"the {what} is at most {limit} characters", code="text_too_long")
    if _ID_OR_PHONE.search(text):
        raise DomainError(
            f"the {what} must not hold ID or phone numbers: identify the requester by member "
            "id or union card number instead",
            code="personal_data_in_text",
        )
    return text


def yuan(value: str) -> Decimal:
    """A decimal string in yuan with at most two places, above zero (never a float)."""
    return written_amount(value)
