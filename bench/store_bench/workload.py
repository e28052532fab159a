"""The workload both sides write: aggregates of ten events (one creation, nine changes)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from union_events.appending import AppendRequest
from union_events.events import NewEvent

EVENTS_PER_AGGREGATE = 10
CONCURRENT_CALLERS = 16
CREATED = "union.bench.item.created.v1"
CHANGED = "union.bench.item.changed.v1"
NOTE = "benchmark payload"

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Workload:
    events: int

    @property
    def aggregates(self) -> int:
        return self.events // EVENTS_PER_AGGREGATE

    def stream_ids(self) -> list[str]:
        return [f"agg-{i}" for i in range(self.aggregates)]


def aggregate_events() -> list[NewEvent]:
    """One aggregate's events: fresh ids each call, the same payload as eventsourcing's."""
    return [
        NewEvent(CREATED if n == 0 else CHANGED, {"amount": n, "note": NOTE})
        for n in range(EVENTS_PER_AGGREGATE)
    ]


def our_commands(workload: Workload) -> list[tuple[str, list[NewEvent]]]:
    return [(stream_id, aggregate_events()) for stream_id in workload.stream_ids()]


def our_batch(workload: Workload) -> list[AppendRequest]:
    return [AppendRequest(s, 0, tuple(events)) for s, events in our_commands(workload)]


def split(items: list[T], parts: int) -> list[list[T]]:
    """Deal `items` round-robin into `parts` lists (one per concurrent caller)."""
    return [items[k::parts] for k in range(parts)]
