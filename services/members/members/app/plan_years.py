"""Hearing claims' plan years: a `plan_year.set` becomes a `plan_year.heard` in members' log."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncConnection
from union_events.commands import execute
from union_events.events import EventContext
from union_events.published.claims import PlanYearSet
from union_events.store import EventStore

from ..domain import plan_years
from . import aggregates as agg


async def hear_plan_year(
    store: EventStore, conn: AsyncConnection, cause_id: str, ctx: EventContext, heard: PlanYearSet
) -> None:
    """Note the plan year (or its new dates) once, inside the consumer's transaction; a
    redelivered cause derives the same event ids and the version check turns it away."""
    await execute(
        store,
        agg.plan_years,
        agg.plan_year_stream(heard.plan_id, heard.year),
        lambda known: plan_years.decide_hear(
            known,
            plan_id=heard.plan_id,
            year=heard.year,
            enrolment_closes_on=heard.enrolment_closes_on,
            claims_close_on=heard.claims_close_on,
        ),
        context=replace(ctx, causation_id=cause_id),  # the event ids derive from the cause
        conn=conn,
    )
