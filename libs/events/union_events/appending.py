"""Deciding a group of appends: which requests go in, at which versions, which fail and why.

Pure: given what the log already holds for the group's event ids and streams, it returns
the rows to insert and each request's outcome. The store runs it inside the write lock.
`AppendSignal` (what an append wakes in the process) is the one part both stores share that
is not pure.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from . import codec
from .errors import ConcurrencyError, DuplicateEventError
from .events import EventContext, NewEvent


@dataclass(frozen=True, slots=True)
class AppendRequest:
    stream_id: str
    expected_version: int | None  # 0: the stream must be new; None: no check
    events: tuple[NewEvent, ...]


@dataclass(frozen=True, slots=True)
class AppendResult:
    stream_id: str
    version: int  # the stream's version after the append
    position: int  # global position of the request's last event


@dataclass(slots=True)
class GroupPlan:
    rows: list[tuple[object, ...]] = field(default_factory=list)
    outcomes: list[AppendResult | BaseException] = field(default_factory=list)


def plan_group(
    requests: list[AppendRequest],
    existing: Mapping[str, tuple[str, int, int]],  # event id -> (stream, version, position)
    versions: Mapping[str, int],
    head_position: int,
    units: Sequence[int] | None = None,
) -> GroupPlan:
    """`units[i]` names the all-or-nothing unit request i belongs to (an `append_batch`);
    consecutive requests of one unit go in together or fail together with its first error.
    Without `units` every request is a unit of its own."""
    plan = GroupPlan()
    position = head_position
    current = dict(versions)
    taken: set[str] = set()
    contexts: dict[EventContext, str] = {}  # context -> its JSON, made once
    unit_of = list(units) if units is not None else list(range(len(requests)))
    start = 0
    while start < len(requests):
        end = start
        while end < len(requests) and unit_of[end] == unit_of[start]:
            end += 1
        saved = (position, dict(current), set(taken), len(plan.rows))
        outcomes: list[AppendResult | BaseException] = []
        for request in requests[start:end]:
            ids = [e.id for e in request.events]
            already = [existing[i] for i in ids if i in existing]
            if already:
                outcomes.append(_replayed(request, ids, already))
                continue
            clash = next((i for i in ids if i in taken), None)
            if clash is not None or len(set(ids)) != len(ids):
                outcomes.append(DuplicateEventError(clash or ids[0]))
                continue
            version = current.get(request.stream_id, 0)
            expected = request.expected_version
            if expected is not None and expected != version:
                outcomes.append(ConcurrencyError(request.stream_id, expected, version))
                continue
            for offset, event in enumerate(request.events, start=1):
                position += 1
                row = _row(position, request.stream_id, version + offset, event, contexts)
                plan.rows.append(row)
            taken.update(ids)
            current[request.stream_id] = version + len(request.events)
            outcomes.append(AppendResult(request.stream_id, current[request.stream_id], position))
        failed = next((o for o in outcomes if isinstance(o, BaseException)), None)
        if failed is not None and end - start > 1:  # the whole unit fails: undo its rows
            position, current, taken = saved[0], saved[1], saved[2]
            del plan.rows[saved[3] :]
            outcomes = [o if isinstance(o, BaseException) else failed for o in outcomes]
        plan.outcomes.extend(outcomes)
        start = end
    return plan


def _replayed(
    request: AppendRequest, ids: list[str], already: list[tuple[str, int, int]]
) -> AppendResult | BaseException:
    """The same events appended again (a retried command): a no-op, not an error."""
    if len(already) == len(ids) and all(s == request.stream_id for s, _, _ in already):
        return AppendResult(
            request.stream_id, max(v for _, v, _ in already), max(p for _, _, p in already)
        )
    missing_or_moved = next(i for i in ids)
    return DuplicateEventError(missing_or_moved)


# Column order of the rows `plan_group` returns (and of the store's INSERT).
ROW_COLUMNS = (
    "position",
    "event_id",
    "stream_id",
    "version",
    "type",
    "data",
    "context",
    "occurred_at",
)


def _row(
    position: int,
    stream_id: str,
    version: int,
    event: NewEvent,
    contexts: dict[EventContext, str],
) -> tuple[object, ...]:
    """The log row of an event; its context's JSON made once per context of the group (the
    events of a command share one: one string for them all, not a copy each)."""
    encoded = contexts.get(event.context)
    if encoded is None:
        context = event.context.as_dict()
        encoded = contexts[event.context] = codec.dumps(context) if context else "{}"
    return (
        position,
        event.id,
        stream_id,
        version,
        event.type,
        codec.dumps(event.data),
        encoded,
        event.occurred_at,
    )


class AppendSignal:
    """What a store's appends wake in this process (the relay, projections): both stores
    inherit it."""

    _appended: asyncio.Event | None = None
    # Also told of each of this process's appends: in an API process, what tells its worker
    # process (service.py's `announce_appends`); None elsewhere.
    announce: Callable[[], None] | None = None

    def notify_appended(self) -> None:
        event, self._appended = self._appended, asyncio.Event()
        if event is not None:
            event.set()
        if self.announce is not None:
            self.announce()

    async def wait_for_append(self, max_wait_s: float) -> None:
        """Return when this process appends something, or after `max_wait_s` seconds."""
        if self._appended is None:
            self._appended = asyncio.Event()
        try:
            await asyncio.wait_for(self._appended.wait(), max_wait_s)
        except TimeoutError:
            pass
