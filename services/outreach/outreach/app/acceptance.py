"""An intake taken up by the service that owns its kind, heard over NATS: status `accepted`.

Runs inside the consumer's transaction (its inbox row and this append commit together), with
event ids derived from the cause: a redelivered event appends nothing twice.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncConnection
from union_events.appending import AppendRequest
from union_events.commands import derived_event_id, load
from union_events.events import EventContext, NewEvent
from union_events.store import EventStore

from ..domain import codec
from ..domain.intake import decide_accept
from .aggregates import intake_stream, intakes


async def accept_intake(
    store: EventStore,
    conn: AsyncConnection,
    *,
    intake_id: str,
    by: str,
    reference: str,
    today: date,
    ctx: EventContext,
) -> bool:
    """True when the acceptance was recorded now; False for an unknown or accepted intake."""
    stream = intake_stream(intake_id)
    state, version = await load(store, intakes, stream)
    events = decide_accept(state, by=by, reference=reference, today=today)
    if not events:
        return False
    stored = []
    for index, event in enumerate(events):
        event_type, data = codec.encode(event)
        event_id = derived_event_id(ctx.causation_id or "", stream, index)
        stored.append(NewEvent(event_type, data, id=event_id, context=ctx))
    # At the version read: a concurrent change fails this message, which is tried again.
    await store.append_in(conn, AppendRequest(stream, version, tuple(stored)))
    return True
