"""claims' events, translated into members': a plan year set in claims is a plan year members
may enrol in."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection
from union_events.consumer import ConsumerSpec, caused_by
from union_events.published.claims import PlanYearSet, registry
from union_events.store import EventStore
from union_events.wire import IncomingEvent

from ..app.plan_years import hear_plan_year

PLAN_YEAR_SET = PlanYearSet.event_name
SUBJECT = "union.claims.plan_year.>"


def claims_consumer(wiring: dict[str, EventStore]) -> ConsumerSpec:
    async def on_claims_event(conn: AsyncConnection, event: IncomingEvent) -> None:
        """A plan year's rules were set: members knows the plan year (and its closing day)."""
        if not event.type.startswith(PLAN_YEAR_SET + ".v"):
            return
        heard = registry.parse(event.type, event.data)
        assert isinstance(heard, PlanYearSet)
        await hear_plan_year(wiring["store"], conn, event.id, caused_by(event), heard)

    return ConsumerSpec("members-claims", "CLAIMS", SUBJECT, on_claims_event)
