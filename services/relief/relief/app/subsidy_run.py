"""The monthly subsidy run: every active card is paid its living subsidy once per month.

Each payment is the first (and only) event of `subsidy-<card>-<yyyy-mm>`, appended at version 0:
a rerun, or a run after a crash half-way, skips the cards already paid.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from union_events.appending import AppendResult
from union_events.errors import ConcurrencyError
from union_events.events import EventContext, NewEvent

from ..domain.subsidy import ActiveCard, due_in, parse_month, subsidy_for, subsidy_stream
from .streams import stored

log = logging.getLogger("relief.monthly_run")


class SubsidyStore(Protocol):
    async def stream_versions(self, stream_ids: Sequence[str]) -> dict[str, int]: ...

    async def append(
        self, stream_id: str, expected_version: int | None, events: Sequence[NewEvent]
    ) -> AppendResult: ...


@dataclass(frozen=True)
class RunCounts:
    month: str
    cards: int
    paid: int
    skipped: int  # paid before (a rerun) or not due that month


async def monthly_run(
    store: SubsidyStore,
    cards: Sequence[ActiveCard],
    month: str,
    amount: Decimal,
    today: date,
    ctx: EventContext | None = None,
    delay_s: float = 0.0,
) -> RunCounts:
    parse_month(month)
    ctx = ctx or EventContext()
    streams = [subsidy_stream(c.card_id, month) for c in cards]
    versions = await store.stream_versions(streams) if streams else {}
    paid = skipped = 0
    log.info("monthly run %s: %d active cards", month, len(cards))
    for card, stream in zip(cards, streams, strict=True):
        if versions.get(stream, 0) > 0 or not due_in(card, month):
            skipped += 1
            continue
        event = stored(subsidy_for(card, month, amount, today), ctx)
        try:
            await store.append(stream, 0, [event])
        except ConcurrencyError:
            skipped += 1  # another run paid it meanwhile
            continue
        paid += 1
        log.info(
            "monthly run %s: paid card %s (%d paid, %d skipped)", month, card.card_id, paid, skipped
        )
        if delay_s:
            await asyncio.sleep(delay_s)
    log.info("monthly run %s done: %d paid, %d skipped", month, paid, skipped)
    return RunCounts(month, len(cards), paid, skipped)
