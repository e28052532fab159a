"""members' events, translated into outreach's: a join request received accepts its intake."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy.ext.asyncio import AsyncConnection
from union_events.consumer import ConsumerSpec
from union_events.events import EventContext
from union_events.published.members import JoinRequestReceived, registry
from union_events.wire import IncomingEvent

from ..app.acceptance import accept_intake
from ..app.handlers import Outreach

RECEIVED = JoinRequestReceived.event_name


def members_consumer(wiring: dict[str, Outreach], today: Callable[[], date]) -> ConsumerSpec:
    async def on_members_event(conn: AsyncConnection, event: IncomingEvent) -> None:
        """A join request opened from an enrolment intake: the intake is accepted."""
        if not event.type.startswith(RECEIVED + ".v"):
            return
        payload = registry.parse(event.type, event.data)
        assert isinstance(payload, JoinRequestReceived)
        await accept_intake(
            wiring["outreach"].store,
            conn,
            intake_id=payload.intake_id,
            by="members",
            reference=payload.request_id,
            today=today(),
            ctx=EventContext(event.context.correlation_id or event.id, event.id),
        )

    return ConsumerSpec(
        "outreach-members", "MEMBERS", "union.members.join_request.>", on_members_event
    )
