"""An intake taken up by the service that owns its kind, heard over NATS: status `accepted`.

Runs inside the consumer's transaction (its inbox row and this append commit together), with
event ids derived from the cause: a redelivered event appends nothing twice.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncConnection
from union_events.commands import execute
from union_events.events import EventContext
from union_events.store import EventStore

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
    # Read and appended in the consumer's transaction, at the version read: a concurrent change
    # fails this message, which is tried again (the same cause derives the same event ids).
    outcome = await execute(
        store,
        intakes,
        intake_stream(intake_id),
        lambda s: decide_accept(s, by=by, reference=reference, today=today),
        context=ctx,
        conn=conn,
    )
    return bool(outcome.events)
