"""The monthly subsidy run: every member with an active card is paid the living subsidy once
per month, whatever the data holds (two cards of one member are paid once); a card whose member
has left the union, was erased or was never heard of is not paid (the run counts it as
`not_members`).

Each payment is the first (and only) event of `subsidy-<member>-<yyyy-mm>`, appended at
version 0: a rerun, or a run after a crash half-way, skips the members already paid (and a
card already paid under the older per-card stream, `subsidy-<card>-<yyyy-mm>`). A month that
has not begun is refused.
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

from ..domain import codec
from ..domain.subsidy import (
    ActiveCard,
    card_subsidy_stream,
    due_in,
    require_begun,
    subsidy_for,
    subsidy_stream,
)

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
    skipped: int  # paid before (a rerun, another card of the member) or not due that month
    not_members: int = 0  # cards of members who left, were erased or never heard of: not paid
    amount: Decimal = Decimal("0.00")  # the subsidy each member paid got
    total: Decimal = Decimal("0.00")  # what this run paid: paid × amount


async def monthly_run(
    store: SubsidyStore,
    cards: Sequence[ActiveCard],
    month: str,
    amount: Decimal,
    today: date,
    ctx: EventContext | None = None,
    delay_s: float = 0.0,
    gone: frozenset[str] = frozenset(),
) -> RunCounts:
    """`gone`: the card holders (ids) who are no members: left the union, were erased or were
    never heard of, as relief heard members' events."""
    month = require_begun(month, today)
    ctx = ctx or EventContext()
    streams = [subsidy_stream(c.member_id, month) for c in cards]
    before = [card_subsidy_stream(c.card_id, month) for c in cards]
    versions = await store.stream_versions([*streams, *before]) if streams else {}
    paid_members = {  # paid this month already, under any of their cards
        card.member_id
        for card, stream, old in zip(cards, streams, before, strict=True)
        if versions.get(stream, 0) > 0 or versions.get(old, 0) > 0
    }
    paid = skipped = not_members = 0
    log.info("monthly run %s: %d active cards", month, len(cards))
    for card, stream in zip(cards, streams, strict=True):
        if card.member_id in gone:
            not_members += 1
            continue
        if card.member_id in paid_members or not due_in(card, month):
            skipped += 1
            continue
        paid_members.add(card.member_id)
        event = NewEvent(*codec.encode(subsidy_for(card, month, amount, today)), context=ctx)
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
    log.info(
        "monthly run %s done: %d paid, %d skipped, %d no longer members",
        month, paid, skipped, not_members,
    )  # fmt: skip
    return RunCounts(month, len(cards), paid, skipped, not_members, amount, amount * paid)
