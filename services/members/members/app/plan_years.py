"""Hearing claims' plan years: a `plan_year.set` becomes a `plan_year.heard` in members' log."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection
from union_events.appending import AppendRequest
from union_events.commands import derived_event_id
from union_events.events import EventContext, NewEvent
from union_events.published.claims import PlanYearSet
from union_events.store import EventStore, read_streams_in

from ..domain import plan_years
from ..domain.plan_years import PlanYear
from . import aggregates as agg


async def hear_plan_year(
    store: EventStore, conn: AsyncConnection, cause_id: str, ctx: EventContext, heard: PlanYearSet
) -> None:
    """Note the plan year (or its new dates) once, inside the consumer's transaction; a
    redelivered cause derives the same event ids and the version check turns it away."""
    stream = agg.plan_year_stream(heard.plan_id, heard.year)
    known: PlanYear | None = None
    version = 0
    for recorded in (await read_streams_in(conn, [stream]))[stream]:
        known = agg.plan_years.evolve(known, agg.plan_years.decode(recorded.type, recorded.data))
        version = recorded.version
    decided = plan_years.decide_hear(
        known,
        plan_id=heard.plan_id,
        year=heard.year,
        enrolment_closes_on=heard.enrolment_closes_on,
        claims_close_on=heard.claims_close_on,
    )
    stored = tuple(
        NewEvent(*plan_years.encode(e), id=derived_event_id(cause_id, stream, i), context=ctx)
        for i, e in enumerate(decided)
    )
    if stored:
        await store.append_in(conn, AppendRequest(stream, version, stored))
