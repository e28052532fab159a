"""Reads of claims for lists: the claims a page names, each folded from its own log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from union_events.store import EventStore

from ..domain.claim import Claim
from .handlers import claim_stream, claims, fold


async def claims_by_id(store: EventStore, claim_ids: Sequence[str]) -> list[Claim]:
    """The claims, in the order given, in one read (a page's worth)."""
    streams = await store.read_streams([claim_stream(i) for i in claim_ids])
    return [
        fold(Claim(), [claims.decode(e.type, e.data) for e in streams[claim_stream(i)]])
        for i in claim_ids
    ]


async def claims_with_times(
    store: EventStore, claim_ids: Sequence[str]
) -> list[tuple[Claim, list[datetime]]]:
    """The claims, in the order given, each with the instant of each of its events (one a
    timeline step), in one read."""
    streams = await store.read_streams([claim_stream(i) for i in claim_ids])
    out = []
    for claim_id in claim_ids:
        recorded = streams[claim_stream(claim_id)]
        state = fold(Claim(), [claims.decode(e.type, e.data) for e in recorded])
        out.append((state, [e.occurred_at for e in recorded]))
    return out
