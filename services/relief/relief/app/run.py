"""The monthly run over the live cards read model (caught up first)."""

from __future__ import annotations

from datetime import date

from union_events.events import EventContext
from union_events.projections import catch_up

from ..projections.files_view import FilesView, active_cards
from .relief import Relief
from .subsidy_run import RunCounts, monthly_run


async def run_month(
    r: Relief, month: str, today: date, ctx: EventContext | None = None
) -> RunCounts:
    await catch_up(r.store, FilesView())  # every card issued up to now is in the list
    cards = await active_cards(r.store.engine)
    return await monthly_run(
        r.store, cards, month, r.settings.monthly_subsidy, today, ctx, r.settings.run_delay_s
    )
