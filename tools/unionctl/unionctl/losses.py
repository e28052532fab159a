"""`unionctl accept-loss SERVICE`: the operator's decision on a log behind its stream.

The service noticed at start-up that its stream holds events its log lacks (`log_losses`,
see `union_events.log_guard`); accepting records who decided and why, numbers the service's
new events above the stream's positions, and lets the service start.
"""

from __future__ import annotations

from union_events.log_guard import Loss, accept_losses, pending_losses
from union_events.store import EventStore


async def pending(database_url: str) -> list[Loss]:
    store = await EventStore.open(database_url)
    try:
        return await pending_losses(store)
    finally:
        await store.close()


async def accept(database_url: str, by: str, note: str) -> list[Loss]:
    store = await EventStore.open(database_url)
    try:
        return await accept_losses(store, by, note)
    finally:
        await store.close()


def describe(service: str, losses: list[Loss]) -> list[str]:
    """What accepting means, in the words an operator reads before confirming."""
    lines = []
    for loss in losses:
        lines.append(
            f"{service}: the log ends at position {loss.log_head}; stream {loss.stream} holds "
            f"{loss.lost} that the log lacks (noticed {loss.noticed_at:%Y-%m-%d %H:%M:%S})."
        )
    lines += [
        "Accepting means: those events are gone from this service's log for good, but other "
        "services already acted on them (they are still on the stream). New events are "
        "numbered above the stream's positions. See docs/operations.md, 'A log behind its "
        "stream', for what to check in the other services first.",
    ]
    return lines
