"""Running a command against an aggregate: load, fold, decide, append with expected version.

The domain stays pure: `decide(state) -> events` and `evolve(state, event) -> state` on its
own event classes. An `Aggregate` says how those map to stored events. On a concurrent change
the command is re-decided on the fresh state (never merged); after `retries` it gives up
with `ConcurrencyError` (HTTP 409).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .appending import AppendResult
from .errors import ConcurrencyError
from .events import EventContext, NewEvent
from .store import EventStore

S = TypeVar("S")
E = TypeVar("E")


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
    """The aggregate's current state and stream version (0 for a new one)."""
    state, version = aggregate.initial(), 0
    for recorded in await store.read_stream(stream_id):
        state = aggregate.evolve(state, aggregate.decode(recorded.type, recorded.data))
        version = recorded.version
    return state, version


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
    retries: int = 3,
) -> Outcome[S, E]:
    """Decide on the current state and append; re-decide on a concurrent change."""
    context = context or EventContext()
    for attempt in range(retries + 1):
        state, version = await load(store, aggregate, stream_id)
        decided = list(decide(state))
        if not decided:
            return Outcome(state, decided, None)
        stored = []
        for index, event in enumerate(decided):
            event_type, data = aggregate.encode(event)
            event_id = (
                derived_event_id(context.causation_id, stream_id, index)
                if context.causation_id
                else str(uuid.uuid4())
            )
            stored.append(NewEvent(event_type, data, id=event_id, context=context))
        try:
            result = await store.append(stream_id, version, stored)
        except ConcurrencyError:
            if attempt == retries:
                raise
            continue
        for event in decided:
            state = aggregate.evolve(state, event)
        return Outcome(state, decided, result)
    raise AssertionError("unreachable")
