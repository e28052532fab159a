"""The plan years members heard from claims, for `GET /plan-years`: a read model of its log."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Column, Date, Integer, String, Table, delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from union_events.events import RecordedEvent

from ..domain import plan_years
from ..domain.plan_years import PlanYearHeard
from .views import views

plan_years_view = Table(
    "plan_years_view",
    views,
    Column("plan_id", String(64), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("enrolment_closes_on", Date, nullable=True),
    Column("claims_close_on", Date, nullable=True),
)
_HEARD = plan_years.EVENT_TYPES[PlanYearHeard]


class PlanYearsView:
    name = "plan-years-view"
    tables: Sequence[Table] = (plan_years_view,)
    event_types = (_HEARD,)  # the only ones read from the log

    async def apply(self, conn: AsyncConnection, recorded: RecordedEvent) -> None:
        if recorded.type != _HEARD:
            return
        event = plan_years.decode(recorded.type, recorded.data)
        key = (plan_years_view.c.plan_id == event.plan_id) & (plan_years_view.c.year == event.year)
        await conn.execute(delete(plan_years_view).where(key))
        await conn.execute(
            insert(plan_years_view).values(
                plan_id=event.plan_id,
                year=event.year,
                enrolment_closes_on=event.enrolment_closes_on,
                claims_close_on=event.claims_close_on,
            )
        )


async def list_plan_years(engine: AsyncEngine, plan_id: str | None) -> list[dict[str, Any]]:
    query = select(plan_years_view).order_by(plan_years_view.c.plan_id, plan_years_view.c.year)
    if plan_id:
        query = query.where(plan_years_view.c.plan_id == plan_id)
    async with engine.connect() as conn:
        rows = [dict(r._mapping) for r in await conn.execute(query)]
    return rows
