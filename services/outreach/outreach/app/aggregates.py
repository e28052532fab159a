"""How the outreach domain maps onto the event store: streams and aggregates."""

from __future__ import annotations

from typing import Any

from union_events.commands import Aggregate

from ..domain import codec
from ..domain.campaigns import Campaign, evolve_campaign
from ..domain.intake import Intake, evolve_intake
from ..domain.members import KnownMember, evolve_member
from ..domain.points import Point, evolve_point
from ..domain.sessions import Session, evolve_session

points: Aggregate[Point, Any] = Aggregate(Point, evolve_point, codec.encode, codec.decode)
sessions: Aggregate[Session, Any] = Aggregate(Session, evolve_session, codec.encode, codec.decode)
intakes: Aggregate[Intake, Any] = Aggregate(Intake, evolve_intake, codec.encode, codec.decode)
campaigns: Aggregate[Campaign, Any] = Aggregate(
    Campaign, evolve_campaign, codec.encode, codec.decode
)
members: Aggregate[KnownMember, Any] = Aggregate(
    KnownMember, evolve_member, codec.encode, codec.decode
)


def point_stream(point: str) -> str:
    return f"point-{point}"


def session_stream(session_id: str) -> str:
    return f"session-{session_id}"


def intake_stream(intake_id: str) -> str:
    return f"intake-{intake_id}"


def campaign_stream(campaign_id: str) -> str:
    return f"campaign-{campaign_id}"


def campaign_member_stream(campaign_id: str, member_id: str) -> str:
    """One item a member per campaign, city-wide: this stream is appended at version 0 only."""
    return f"campaign-{campaign_id}-member-{member_id}"


def member_stream(member_id: str) -> str:
    """What outreach heard of a member from members' events (the id canonical)."""
    return f"member-{member_id}"
