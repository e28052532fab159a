"""outreach's events, translated into members': an enrolment intake becomes a join request."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection
from union_events.appending import AppendRequest
from union_events.commands import derived_event_id
from union_events.consumer import ConsumerSpec
from union_events.events import EventContext, NewEvent
from union_events.published.outreach import IntakeRecorded, registry
from union_events.store import EventStore
from union_events.wire import IncomingEvent

from ..domain import join_requests

RECORDED = IntakeRecorded.event_name


def join_request_stream(intake_id: str) -> str:
    return f"join-request-{intake_id}"


def outreach_consumer(wiring: dict[str, EventStore]) -> ConsumerSpec:
    async def on_outreach_event(conn: AsyncConnection, event: IncomingEvent) -> None:
        """An intake of kind union_enrolment reaches the district as a join request, once."""
        if not event.type.startswith(RECORDED + ".v"):
            return
        intake = registry.parse(event.type, event.data)
        assert isinstance(intake, IntakeRecorded)
        store = wiring["store"]
        stream = join_request_stream(intake.intake_id)
        versions = await store.stream_versions([stream])
        decided = join_requests.decide_receive(
            versions.get(stream, 0) > 0,
            intake_id=intake.intake_id,
            kind=intake.kind,
            district=intake.district,
            place=intake.place,
            member_id=intake.member_id,
            on=intake.on,
        )
        ctx = EventContext(
            event.context.correlation_id or event.id, event.id, org_path=intake.district
        )
        stored = []
        for index, received in enumerate(decided):
            event_type, data = join_requests.encode(received)
            event_id = derived_event_id(event.id, stream, index)
            stored.append(NewEvent(event_type, data, id=event_id, context=ctx))
        if stored:  # at version 0: a second request for the intake fails (and is retried)
            await store.append_in(conn, AppendRequest(stream, 0, tuple(stored)))

    return ConsumerSpec(
        "members-outreach", "OUTREACH", "union.outreach.intake.>", on_outreach_event
    )
