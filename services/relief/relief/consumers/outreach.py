"""outreach's hardship intakes → a draft relief application, exactly once per intake."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection
from union_events.commands import Work
from union_events.consumer import ConsumerSpec, run_caused
from union_events.errors import DomainError
from union_events.ids import canonical_member_id
from union_events.published.outreach import IntakeRecorded, registry
from union_events.wire import IncomingEvent

from ..app.aggregates import application_stream, applications, derived_id
from ..app.relief import Relief
from ..domain.application import decide_draft

RECORDED = "union.outreach.intake.recorded"
HARDSHIP_KIND = "living_assistance"  # what a hardship intake asks for until a clerk says more


def intake_application_id(intake_id: str) -> str:
    return derived_id("intake", intake_id)


def recipient_of(member_id: str | None) -> str | None:
    """The intake's member id, canonical; text that is no member id names no recipient (a
    clerk sets one on the draft before it is submitted)."""
    if member_id is None:
        return None
    try:
        return canonical_member_id(member_id)
    except DomainError:
        return None


def outreach_consumer(wiring: dict[str, Relief]) -> ConsumerSpec:
    async def on_outreach_event(conn: AsyncConnection, event: IncomingEvent) -> None:
        """A hardship intake opens a draft application (its id derived from the intake's)."""
        if event.type.rsplit(".", 1)[0] != RECORDED:
            return
        intake = registry.parse(event.type, event.data)
        assert isinstance(intake, IntakeRecorded)
        if intake.kind != "hardship":
            return
        application_id = intake_application_id(intake.intake_id)
        stream = application_stream(application_id)

        async def draft(work: Work) -> None:
            drafted = decide_draft(
                await work.load(applications, stream),
                application_id=application_id,
                member_id=recipient_of(intake.member_id),
                district=intake.district,
                kind=HARDSHIP_KIND,
                intake_id=intake.intake_id,
                source="intake",
                on=intake.on,
            )
            work.emit(applications, stream, drafted)

        await run_caused(wiring["relief"].store, conn, event, draft)

    return ConsumerSpec("relief-outreach", "OUTREACH", "union.outreach.>", on_outreach_event)
