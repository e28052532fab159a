"""What the log holds: events to append and events as recorded."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .uuids import time_ordered_uuid


def new_event_id() -> str:
    """A time-ordered id (UUID version 7): see `uuids.py` for why."""
    return time_ordered_uuid()


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class EventContext:
    """Who caused an event and where: travels with it into the log and onto the wire."""

    correlation_id: str | None = None
    causation_id: str | None = None
    org_path: str | None = None
    traceparent: str | None = None
    # Who acted: a staff account id (the token's subject), or `service:<name>` for another
    # system or a service's own consumer. Never a member's personal data.
    actor: str | None = None

    def as_dict(self) -> dict[str, str]:
        pairs = {
            "correlationid": self.correlation_id,
            "causationid": self.causation_id,
            "orgpath": self.org_path,
            "traceparent": self.traceparent,
            "actor": self.actor,
        }
        return {k: v for k, v in pairs.items() if v}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> EventContext:
        return cls(
            correlation_id=d.get("correlationid"),
            causation_id=d.get("causationid"),
            org_path=d.get("orgpath"),
            traceparent=d.get("traceparent"),
            actor=d.get("actor"),
        )


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event about to be appended. `type` carries the version suffix (`...paid.v1`)."""

    type: str
    data: Mapping[str, Any]
    id: str = field(default_factory=new_event_id)
    occurred_at: datetime = field(default_factory=utcnow)
    context: EventContext = field(default_factory=EventContext)


@dataclass(frozen=True, slots=True)
class RecordedEvent:
    """An event as the log holds it: with its stream version and global position."""

    position: int
    stream_id: str
    version: int
    id: str
    type: str
    data: Mapping[str, Any]
    occurred_at: datetime
    context: EventContext = field(default_factory=EventContext)
