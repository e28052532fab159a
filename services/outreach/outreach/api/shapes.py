"""What a point, a session, an intake and a campaign look like in an answer: the same fields and
types whether read one by one (from its stream) or in a list (from the views)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from ..domain.campaigns import Campaign
from ..domain.intake import Intake
from ..domain.points import Point
from ..domain.sessions import Session


def point(state: Point) -> dict[str, Any]:
    return {
        "point": state.point,
        "district": state.district,
        "name": state.name,
        "kind": state.kind,
        "amenities": list(state.amenities),
        "hours": list(state.hours),
        "open": state.open,
        "registered_on": _day(state.registered_on),
    }


def point_row(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        **{k: row[k] for k in ("point", "district", "name", "kind", "open")},
        "amenities": _split(row["amenities"], ","),
        "hours": _split(row["hours"], "; "),
        "registered_on": _day(row["registered_on"]),
    }


def session(state: Session) -> dict[str, Any]:
    return {
        "session_id": state.session_id,
        "status": state.status,
        "point": state.point,
        "district": state.district,
        "on": _day(state.on),
        "services": list(state.services),
        "staff": state.staff,
        "member_check_ins": state.member_check_ins,
        "anonymous_check_ins": state.anonymous_check_ins,
        "person_times": state.person_times,
    }


def session_row(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        **{k: row[k] for k in ("session_id", "status", "point", "district", "staff")},
        "on": _day(row["on"]),
        "services": _split(row["services"], ","),
        "member_check_ins": row["members"],
        "anonymous_check_ins": row["anonymous"],
        "person_times": row["members"] + row["anonymous"],
    }


_INTAKE: tuple[str, ...] = ("intake_id", "status", "kind", "channel", "district", "place")
_INTAKE += ("routed_to", "accepted_by", "reference", "outcome")


def intake(state: Intake) -> dict[str, Any]:
    return intake_row({**state.__dict__})


def intake_row(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        **{k: row[k] for k in _INTAKE},
        "amount": _money(row["amount"]),
        "recorded_on": _day(row["recorded_on"]),
        "closed_on": _day(row["closed_on"]),
    }


def campaign(state: Campaign) -> dict[str, Any]:
    return campaign_row(state.__dict__)


def campaign_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """From a state (tuples) or a view row (comma-separated text)."""
    return {
        **{k: row[k] for k in ("campaign_id", "name", "kind", "stock", "handed_out")},
        "remaining": row["stock"] - row["handed_out"],
        "categories": _split(row["categories"], ","),
        "districts": _split(row["districts"], ","),
        "starts_on": _day(row["starts_on"]),
        "ends_on": _day(row["ends_on"]),
    }


def _split(value: str | tuple[str, ...], separator: str) -> list[str]:
    if not isinstance(value, str):
        return list(value)
    return value.split(separator) if value else []


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _money(amount: Decimal | None) -> str | None:
    return f"{Decimal(amount):.2f}" if amount is not None else None
