"""What the outreach service publishes on `union.outreach.>`: ids, org paths, kinds and counts,
never personal data. The outreach service may add payloads here; `IntakeRecorded` is read by
relief (hardship intakes) and members (enrolment intakes) and only changes by a new version."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..contracts import ContractRegistry, EventPayload
from .vocabularies import INTAKE_KINDS, IntakeChannel, IntakeKind, IntakeOutcome, PointKind

registry = ContractRegistry()

__all__ = ["INTAKE_KINDS", "registry"]  # INTAKE_KINDS: from the vocabularies, as before


@registry.register
class IntakeRecorded(EventPayload):
    """A request or complaint was taken at a session, a station or online; the service that
    owns its kind picks it up (hardship → relief, union_enrolment → members)."""

    event_name = "union.outreach.intake.recorded"
    intake_id: str
    kind: IntakeKind
    channel: IntakeChannel
    district: str  # org path of the district that handles it, e.g. "zhoushan/dinghai"
    place: str | None  # service point org path where it was taken; None when online
    member_id: str | None  # when the requester is a known member
    on: date


@registry.register
class IntakeClosed(EventPayload):
    """An intake was closed with an outcome (e.g. wages_recovered with the amount in yuan)."""

    event_name = "union.outreach.intake.closed"
    intake_id: str
    district: str
    kind: IntakeKind
    outcome: IntakeOutcome
    amount: Decimal | None  # decimal string in yuan, two places
    on: date


@registry.register
class PointRegistered(EventPayload):
    """A service point of a district was registered: roving point, station or workers' home."""

    event_name = "union.outreach.point.registered"
    point: str  # org path, e.g. "zhoushan/dinghai/ferry-square"
    district: str
    kind: PointKind
    amenities: list[str]  # hot_water | microwave | first_aid_kit | wifi | charging
    on: date


@registry.register
class PointStatusChanged(EventPayload):
    """A service point opened or closed."""

    event_name = "union.outreach.point.status_changed"
    point: str
    district: str
    open: bool
    on: date


@registry.register
class SessionHeld(EventPayload):
    """A roving session (巡回服务) was held at a point, with the services offered and staff."""

    event_name = "union.outreach.session.held"
    session_id: str
    point: str
    district: str
    services: list[str]
    staff: int
    on: date


@registry.register
class SessionCheckIns(EventPayload):
    """People served at a held session: members by card (counted, never named) or anonymous."""

    event_name = "union.outreach.session.check_ins"
    session_id: str
    point: str
    district: str
    members: int
    anonymous: int
    on: date


@registry.register
class ItemHandedOut(EventPayload):
    """A benefit campaign (普惠服务) item was handed out to a member at a service point."""

    event_name = "union.outreach.campaign.item_handed_out"
    campaign_id: str
    member_id: str
    point: str
    district: str
    on: date


PUBLISHED: tuple[type[EventPayload], ...] = (
    IntakeRecorded,
    IntakeClosed,
    PointRegistered,
    PointStatusChanged,
    SessionHeld,
    SessionCheckIns,
    ItemHandedOut,
)
