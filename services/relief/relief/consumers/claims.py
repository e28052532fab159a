"""claims' paid claims → out-of-pocket costs per member and year → a major-illness case."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection
from union_events.commands import Work
from union_events.consumer import ConsumerSpec, run_caused
from union_events.published.claims import ClaimPaid, registry
from union_events.wire import IncomingEvent

from ..app.aggregates import application_stream, applications, derived_id, illness_stream, illnesses
from ..app.relief import Relief
from ..domain.application import decide_draft
from ..domain.events import MajorIllnessFlagged
from ..domain.illness import decide_note_cost

PAID = "union.claims.claim.paid"


def major_illness_case_id(member_id: str, year: int) -> str:
    return derived_id("major-illness", member_id, year)


def claims_consumer(wiring: dict[str, Relief]) -> ConsumerSpec:
    async def on_claim_event(conn: AsyncConnection, event: IncomingEvent) -> None:
        """Add a paid claim's out-of-pocket cost to the member's year; past the threshold,
        open a major-illness case (a draft application) once per member and year."""
        if event.type.rsplit(".", 1)[0] != PAID:
            return
        paid = registry.parse(event.type, event.data)
        assert isinstance(paid, ClaimPaid)
        relief = wiring["relief"]
        stream = illness_stream(paid.member_id, paid.year)
        case_id = major_illness_case_id(paid.member_id, paid.year)

        async def note_cost(work: Work) -> None:
            events = decide_note_cost(
                await work.load(illnesses, stream),
                claim_id=paid.claim_id,
                amount=paid.out_of_pocket,
                district=paid.insuring_district,
                threshold=relief.settings.major_illness_threshold,
                case_id=case_id,
            )
            work.emit(illnesses, stream, events)
            if not any(isinstance(e, MajorIllnessFlagged) for e in events):
                return
            case_stream = application_stream(case_id)
            drafted = decide_draft(
                await work.load(applications, case_stream),
                application_id=case_id,
                member_id=paid.member_id,
                district=paid.insuring_district,
                kind="major_illness",
                intake_id=None,
                source="claims",
                on=paid.on,
            )
            work.emit(applications, case_stream, drafted)

        await run_caused(relief.store, conn, event, note_cost)

    return ConsumerSpec("relief-claims", "CLAIMS", "union.claims.>", on_claim_event)
