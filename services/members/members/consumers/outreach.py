"""outreach's events, translated into members': an enrolment intake becomes a join request."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection
from union_events.commands import Work
from union_events.consumer import ConsumerSpec, run_caused
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
        stream = join_request_stream(intake.intake_id)

        async def receive(work: Work) -> None:
            # Appended at the version read (0: new): a second request for the intake fails.
            received = bool(await work.stream(stream))
            decided = join_requests.decide_receive(
                received,
                intake_id=intake.intake_id,
                kind=intake.kind,
                district=intake.district,
                place=intake.place,
                member_id=intake.member_id,
                on=intake.on,
            )
            work.append(stream, [join_requests.encode(r) for r in decided])

        await run_caused(wiring["store"], conn, event, receive, org_path=intake.district)

    return ConsumerSpec(
        "members-outreach", "OUTREACH", "union.outreach.intake.>", on_outreach_event
    )
