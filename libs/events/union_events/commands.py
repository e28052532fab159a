"""Running a command: read its streams, decide, append at the versions read.

The domain stays pure: `decide(state) -> events` and `evolve(state, event) -> state` on its
own event classes. An `Aggregate` says how those map to stored events. `run` runs a command
over any number of streams (a `Work` reads them at once and collects the events decided per
stream; all are appended in one batch); `execute` is the one-stream case. On a concurrent
change the command is decided again on a fresh read (never merged), under the platform's one
`RetryPolicy`; after the last attempt it gives up with `ConcurrencyError` (HTTP 409).
"""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from .appending import AppendRequest, AppendResult
from .errors import ConcurrencyError
from .events import EventContext, NewEvent, RecordedEvent
from .store import EventStore, read_streams_in
from .uuids import random_uuid

S = TypeVar("S")
E = TypeVar("E")
R = TypeVar("R")


@dataclass(frozen=True)
class Aggregate(Generic[S, E]):
    initial: Callable[[], S]
    evolve: Callable[[S, E], S]
    encode: Callable[[E], tuple[str, Mapping[str, Any]]]  # domain event -> (type, data)
    decode: Callable[[str, Mapping[str, Any]], E]  # (type, data) -> domain event


@dataclass(frozen=True)
class Outcome(Generic[S, E]):
    state: S
    events: Sequence[E]
    result: AppendResult | None  # None when the decision produced no event


async def load(store: EventStore, aggregate: Aggregate[S, E], stream_id: str) -> tuple[S, int]:
    """The aggregate's current state and stream version (0 for a new one): for reading; a
    command decides through `run` / `execute`."""
    recorded = await store.read_stream(stream_id)
    return fold(aggregate, recorded), (recorded[-1].version if recorded else 0)


def derived_event_id(cause: str, stream_id: str, index: int) -> str:
    """A stable id for the `index`-th event that event `cause` caused in `stream_id`: a
    redelivered cause decides the same ids again, and the store's idempotent append drops them."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"union-event:{cause}:{stream_id}:{index}"))


async def execute(
    store: EventStore,
    aggregate: Aggregate[S, E],
    stream_id: str,
    decide: Callable[[S], Sequence[E]],
    *,
    context: EventContext | None = None,
    conn: AsyncConnection | None = None,
    policy: RetryPolicy | None = None,
) -> Outcome[S, E]:
    """A command on one stream: decide on its current state and append (`run`)."""
    done: Work | None = None

    async def command(work: Work) -> tuple[S, list[E]]:
        nonlocal done
        done = work
        state = await work.load(aggregate, stream_id)
        decided = list(decide(state))
        work.emit(aggregate, stream_id, decided)
        return state, decided

    state, decided = await run(store, command, context=context, conn=conn, policy=policy or RETRY)
    if not decided:
        return Outcome(state, decided, None)
    for event in decided:
        state = aggregate.evolve(state, event)
    assert done is not None
    return Outcome(state, decided, done.results[0])


# -- one runner for every command: several streams, one batch, one retry policy ----------


@dataclass(frozen=True)
class RetryPolicy:
    """How a command is decided again after a concurrent change: up to `attempts` decisions,
    with a short random pause between them (growing from `first_pause_s`, at most
    `max_pause_s`) so that commands racing for one stream do not race again in step."""

    attempts: int = 25
    first_pause_s: float = 0.001
    max_pause_s: float = 0.05

    def pause(self, attempt: int) -> float:
        return random.uniform(0, min(self.max_pause_s, self.first_pause_s * 2**attempt))


RETRY = RetryPolicy()  # the platform's one policy; see docs/events-toolkit.md


class Work:
    """One decision of a command: the streams it read (at once, with their versions) and the
    events it decided per stream. `run` appends them all at the versions read, in one batch."""

    def __init__(
        self, store: EventStore, context: EventContext, conn: AsyncConnection | None = None
    ) -> None:
        self.store = store
        self.context = context
        self.conn = conn
        self._read: dict[str, list[RecordedEvent]] = {}
        self._appends: dict[str, list[NewEvent]] = {}
        self.results: list[AppendResult] = []
        # What the command is about: the first stream it read (or appended to). Event ids
        # derive from the cause and it, so that commands one event causes on several subjects
        # (each claim waiting for an enrolment) never take each other's ids.
        self.subject: str | None = None

    async def read(self, *stream_ids: str) -> dict[str, list[RecordedEvent]]:
        """The streams' events, read in one query (each stream once per decision); inside a
        consumer's transaction, with what that transaction appended so far."""
        if self.subject is None and stream_ids:
            self.subject = stream_ids[0]
        wanted = [s for s in dict.fromkeys(stream_ids) if s not in self._read]
        if wanted:
            found = await (
                read_streams_in(self.conn, wanted)
                if self.conn is not None
                else self.store.read_streams(wanted)
            )
            for stream_id in wanted:
                self._read[stream_id] = list(found.get(stream_id, []))
        return {s: self._read[s] for s in stream_ids}

    async def stream(self, stream_id: str) -> list[RecordedEvent]:
        return (await self.read(stream_id))[stream_id]

    async def load(self, aggregate: Aggregate[S, E], stream_id: str) -> S:
        """The aggregate's state from its stream (read as `read` does)."""
        return fold(aggregate, await self.stream(stream_id))

    def version(self, stream_id: str) -> int:
        """The version the stream was read at (0: new)."""
        events = self._read[stream_id]
        return events[-1].version if events else 0

    def emit(self, aggregate: Aggregate[S, E], stream_id: str, events: Iterable[E]) -> None:
        """Append domain events, encoded as the aggregate says."""
        self.append(stream_id, [aggregate.encode(e) for e in events])

    def append(
        self, stream_id: str, events: Iterable[tuple[str, Mapping[str, Any]] | NewEvent]
    ) -> None:
        """Append (type, data) pairs (or ready `NewEvent`s) to a stream. A stream this decision
        read is appended at the version read (a concurrent change decides again); one it did
        not read, unchecked. Event ids derive from the causing event when there is one (and
        from the command's subject, on the other streams it appends to)."""
        if self.subject is None:
            self.subject = stream_id
        pending = self._appends.setdefault(stream_id, [])
        for event in events:
            if not isinstance(event, NewEvent):
                event_type, data = event
                cause = self.context.causation_id
                if cause and self.subject != stream_id:
                    cause = f"{cause}:{self.subject}"
                event_id = (
                    derived_event_id(cause, stream_id, len(pending)) if cause else random_uuid()
                )
                event = NewEvent(event_type, data, id=event_id, context=self.context)
            pending.append(event)
        if not pending:
            del self._appends[stream_id]

    def requests(self) -> list[AppendRequest]:
        return [
            AppendRequest(
                stream_id,
                self.version(stream_id) if stream_id in self._read else None,
                tuple(events),
            )
            for stream_id, events in self._appends.items()
        ]

    async def commit(self) -> None:
        requests = self.requests()
        if not requests:
            return
        if self.conn is None:
            self.results = await self.store.append_batch(requests)
        else:
            self.results = [await self.store.append_in(self.conn, r) for r in requests]


async def run(
    store: EventStore,
    command: Callable[[Work], Awaitable[R]],
    *,
    context: EventContext | None = None,
    conn: AsyncConnection | None = None,
    policy: RetryPolicy = RETRY,
) -> R:
    """Decide `command` on what it reads and append what it decided, all streams at the
    versions read in one batch; on a concurrent change decide it again from a fresh read (up
    to `policy.attempts`, then `ConcurrencyError`: HTTP 409 `concurrent_change`).

    With `conn` (a consumer's write transaction) it reads and appends in that transaction and
    a concurrent change is raised at once: the consumer retries the whole message, whose
    redelivery derives the same event ids.
    """
    context = context or EventContext()
    for attempt in range(policy.attempts):
        work = Work(store, context, conn)
        result = await command(work)
        try:
            await work.commit()
        except ConcurrencyError:
            if conn is not None or attempt + 1 == policy.attempts:
                raise
            await asyncio.sleep(policy.pause(attempt))
            continue
        return result
    raise AssertionError("unreachable")


def fold(
    aggregate: Aggregate[S, E], recorded: Iterable[RecordedEvent], state: S | None = None
) -> S:
    """Fold recorded events into the aggregate's state (from its initial state)."""
    state = aggregate.initial() if state is None else state
    for event in recorded:
        state = aggregate.evolve(state, aggregate.decode(event.type, event.data))
    return state
