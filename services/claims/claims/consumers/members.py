"""members' events, translated into the facts claims keeps (and nothing more)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection
from union_events.commands import Work
from union_events.consumer import ConsumerSpec, caused_by, run_caused
from union_events.published.members import registry
from union_events.wire import IncomingEvent

from ..app import facts
from ..app import registry as orgs
from ..app.filing import member_facts, resolve_eligibility
from ..app.handlers import Claims

MEMBER_NOTED = "union.claims.member.noted.v1"
ORG_REGISTERED = "union.members.org.registered"
MEMBER_REGISTERED = "union.members.member.registered"
MEMBER_ENROLLED = "union.members.member.enrolled"


def members_consumer(wiring: dict[str, Claims]) -> ConsumerSpec:
    async def on_member_event(conn: AsyncConnection, event: IncomingEvent) -> None:
        """Note orgs, members and their enrolments; claims waiting for an enrolment proceed."""
        claims = wiring["claims"]
        store = claims.store
        name = event.type.rsplit(".", 1)[0]
        if name not in (ORG_REGISTERED, MEMBER_REGISTERED, MEMBER_ENROLLED):
            return
        payload = registry.parse(event.type, event.data)
        ctx = caused_by(event)
        if name == ORG_REGISTERED:  # where claims may be filed and paid: service points
            await orgs.note_org(store, conn, event.id, payload.model_dump(), ctx)
            return
        member_id: str = payload.member_id  # type: ignore[attr-defined]
        stream = facts.member_stream(member_id)
        if name.endswith(".registered"):
            noted = (MEMBER_NOTED, {"member_id": member_id})
        else:
            noted = (
                facts.ENROLMENT_NOTED,
                {
                    "plan_id": payload.plan_id,  # type: ignore[attr-defined]
                    "year": payload.year,  # type: ignore[attr-defined]
                    "insuring_district": payload.insuring_district,  # type: ignore[attr-defined]
                },
            )

        async def note(work: Work) -> None:  # the member's facts stream, unchecked
            work.append(stream, [noted])

        await run_caused(store, conn, event, note)
        if name.endswith(".registered"):
            return
        # Claims waiting for this member proceed now, in this same transaction.
        _, _, waiting, _ = await member_facts(store, member_id, payload.plan_id, payload.year)  # type: ignore[attr-defined]
        for claim_id in waiting:
            await resolve_eligibility(
                claims,
                claim_id,
                claims.today(),  # the federation's today (UNION_TIMEZONE), not the server's
                ctx,
                conn=conn,
                enrolment=(
                    payload.plan_id,
                    payload.year,  # type: ignore[attr-defined]
                    payload.insuring_district,
                ),
            )  # type: ignore[attr-defined]

    return ConsumerSpec("claims-members", "MEMBERS", "union.members.>", on_member_event)
