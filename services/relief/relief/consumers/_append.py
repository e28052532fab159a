"""Appending what an incoming event caused, inside the consumer's transaction."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncConnection
from union_events.appending import AppendRequest
from union_events.commands import derived_event_id
from union_events.events import EventContext, NewEvent
from union_events.store import EventStore
from union_events.wire import IncomingEvent

from ..domain import codec


def caused_by(event: IncomingEvent) -> EventContext:
    return EventContext(event.context.correlation_id or event.id, event.id, event.context.org_path)


async def append_caused(
    store: EventStore,
    conn: AsyncConnection,
    cause: IncomingEvent,
    stream_id: str,
    version: int,
    events: Sequence[object],
) -> None:
    """At the version read: a concurrent change fails the message, which is retried whole."""
    if not events:
        return
    ctx = caused_by(cause)
    stored = tuple(
        NewEvent(*codec.encode(e), id=derived_event_id(cause.id, stream_id, i), context=ctx)
        for i, e in enumerate(events)
    )
    await store.append_in(conn, AppendRequest(stream_id, version, stored))
