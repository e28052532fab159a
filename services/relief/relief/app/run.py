"""The monthly run over the live cards read model (caught up first)."""

from __future__ import annotations

from datetime import date

from union_events.events import EventContext
from union_events.projections import catch_up
from union_events.store import EventStore

from ..domain.member import MemberRecord
from ..projections.files_view import FilesView, active_cards
from .aggregates import member_stream, members
from .relief import Relief
from .subsidy_run import RunCounts, monthly_run


async def run_month(
    r: Relief, month: str, today: date, ctx: EventContext | None = None
) -> RunCounts:
    await catch_up(r.store, FilesView())  # every card issued up to now is in the list
    cards = await active_cards(r.store.engine)
    return await monthly_run(
        r.store,
        cards,
        month,
        r.settings.monthly_subsidy,
        today,
        ctx,
        r.settings.run_delay_s,
        gone=await not_members(r.store, {card.member_id for card in cards}),
    )


async def not_members(store: EventStore, member_ids: set[str]) -> frozenset[str]:
    """Those of the card holders who are not members, as relief heard members' events: who
    left the union, was erased, or was never heard of at all (a card from before the members
    rule, for someone nobody registered)."""
    found = await store.read_streams([member_stream(m) for m in sorted(member_ids)])
    gone = set()
    for member_id in member_ids:
        record = MemberRecord()
        for event in found.get(member_stream(member_id), []):
            record = members.evolve(record, members.decode(event.type, event.data))
        if record.status in ("unknown", "left", "erased"):
            gone.add(member_id)
    return frozenset(gone)
