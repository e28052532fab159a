"""members' events, translated into the facts claims keeps (and nothing more)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncConnection
from union_events.appending import AppendRequest
from union_events.commands import derived_event_id
from union_events.consumer import ConsumerSpec
from union_events.events import EventContext, NewEvent
from union_events.published.members import registry
from union_events.wire import IncomingEvent

from ..app import facts
from ..app.filing import member_facts, resolve_eligibility
from ..app.handlers import Claims

MEMBER_NOTED = "union.claims.member.noted.v1"


def members_consumer(wiring: dict[str, Claims]) -> ConsumerSpec:
    async def on_member_event(conn: AsyncConnection, event: IncomingEvent) -> None:
        """Note members and their enrolments; claims waiting for an enrolment proceed."""
        claims = wiring["claims"]
        store = claims.store
        name = event.type.rsplit(".", 1)[0]
        if name not in ("union.members.member.registered", "union.members.member.enrolled"):
            return
        payload = registry.parse(event.type, event.data)
        member_id: str = payload.member_id  # type: ignore[attr-defined]
        ctx = EventContext(event.context.correlation_id or event.id, event.id)
        stream = facts.member_stream(member_id)
        if name.endswith(".registered"):
            noted = NewEvent(
                MEMBER_NOTED,
                {"member_id": member_id},
                id=derived_event_id(event.id, stream, 0),
                context=ctx,
            )
            await store.append_in(conn, AppendRequest(stream, None, (noted,)))
            return
        enrolment = {
            "plan_id": payload.plan_id,
            "year": payload.year,  # type: ignore[attr-defined]
            "insuring_district": payload.insuring_district,
        }  # type: ignore[attr-defined]
        noted = NewEvent(
            facts.ENROLMENT_NOTED, enrolment, id=derived_event_id(event.id, stream, 0), context=ctx
        )
        await store.append_in(conn, AppendRequest(stream, None, (noted,)))
        # Claims waiting for this member proceed now, in this same transaction.
        _, _, waiting, _ = await member_facts(store, member_id, payload.plan_id, payload.year)  # type: ignore[attr-defined]
        for claim_id in waiting:
            await resolve_eligibility(
                claims,
                claim_id,
                date.today(),
                ctx,
                conn=conn,
                enrolment=(
                    payload.plan_id,
                    payload.year,  # type: ignore[attr-defined]
                    payload.insuring_district,
                ),
            )  # type: ignore[attr-defined]

    return ConsumerSpec("claims-members", "MEMBERS", "union.members.>", on_member_event)
