"""What other services see of the outreach log (the relay's public view): ids, org paths, kinds,
counts and amounts. Card numbers, summaries and free text (reasons) never leave; session
scheduling, campaign set-up, the per-member markers and what outreach noted of members (heard
from members in the first place) are outreach's own business."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from union_events.contracts import EventPayload
from union_events.published import outreach as published

_P = "union.outreach."
_AT = ("session_id", "point", "district", "on")
# stored type -> (published contract, fields copied as they are)
_SHOWN: dict[str, tuple[type[EventPayload], tuple[str, ...]]] = {
    _P + "intake.recorded.v1": (
        published.IntakeRecorded,
        ("intake_id", "kind", "channel", "district", "place", "member_id", "on"),
    ),
    _P + "intake.closed.v1": (
        published.IntakeClosed,
        ("intake_id", "district", "kind", "outcome", "amount", "on"),
    ),
    _P + "point.registered.v1": (
        published.PointRegistered,
        ("point", "district", "kind", "amenities", "on"),
    ),
    _P + "session.held.v1": (
        published.SessionHeld,
        ("session_id", "point", "district", "services", "staff", "on"),
    ),
    _P + "campaign.item_handed_out.v1": (
        published.ItemHandedOut,
        ("campaign_id", "member_id", "point", "district", "on"),
    ),
}


_ONE_CHECK_IN = {
    _P + "session.member_checked_in.v1": {"members": 1, "anonymous": 0},
    _P + "session.known_member_checked_in.v1": {"members": 1, "anonymous": 0},
    _P + "session.card_checked_in.v1": {"members": 0, "anonymous": 1},
}


def public_view(
    stream_id: str, event_type: str, d: Mapping[str, Any]
) -> tuple[str, Mapping[str, Any]] | None:
    shown = _SHOWN.get(event_type)
    if shown is not None:
        contract, fields = shown
        return contract.event_type(), _pick(d, fields)
    if event_type in (_P + "point.opened.v1", _P + "point.closed.v1"):
        is_open = event_type.endswith("opened.v1")
        return published.PointStatusChanged.event_type(), _pick(d, ("point", "district", "on")) | {
            "open": is_open
        }
    if event_type in _ONE_CHECK_IN:  # the card number or member id stays here
        return published.SessionCheckIns.event_type(), _pick(d, _AT) | _ONE_CHECK_IN[event_type]
    if event_type == _P + "session.anonymous_checked_in.v1":
        counts = {"members": 0, "anonymous": d["count"]}
        return published.SessionCheckIns.event_type(), _pick(d, _AT) | counts
    return None


def _pick(data: Mapping[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: data[name] for name in fields}
