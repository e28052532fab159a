"""relief's events, translated into outreach's: a drafted application accepts its intake."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection
from union_events.clock import Clock
from union_events.consumer import ConsumerSpec, caused_by
from union_events.published.relief import ApplicationDrafted, registry
from union_events.wire import IncomingEvent

from ..app.acceptance import accept_intake
from ..app.handlers import Outreach

DRAFTED = ApplicationDrafted.event_name


def relief_consumer(wiring: dict[str, Outreach], today: Clock) -> ConsumerSpec:
    async def on_relief_event(conn: AsyncConnection, event: IncomingEvent) -> None:
        """A draft relief application opened from a hardship intake: the intake is accepted."""
        if not event.type.startswith(DRAFTED + ".v"):
            return
        payload = registry.parse(event.type, event.data)
        assert isinstance(payload, ApplicationDrafted)
        if payload.intake_id is None:
            return  # an application filed at relief's own counter
        await accept_intake(
            wiring["outreach"].store,
            conn,
            intake_id=payload.intake_id,
            by="relief",
            reference=payload.application_id,
            today=today(),
            ctx=caused_by(event),
        )

    return ConsumerSpec("outreach-relief", "RELIEF", "union.relief.application.>", on_relief_event)
