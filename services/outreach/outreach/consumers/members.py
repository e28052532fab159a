"""members' events, translated into outreach's: a join request received accepts its intake;
a member registered (or transferred) becomes a member outreach knows."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncConnection
from union_events.clock import Clock
from union_events.consumer import ConsumerSpec, caused_by
from union_events.errors import DomainError
from union_events.ids import canonical_member_id
from union_events.published.members import (
    JoinRequestReceived,
    MemberErased,
    MemberLeft,
    MemberRegistered,
    MemberRejoined,
    MemberTransferred,
    registry,
)
from union_events.wire import IncomingEvent

from ..app.acceptance import accept_intake
from ..app.handlers import Outreach
from ..app.members import note_member, note_status

log = logging.getLogger(__name__)
RECEIVED = JoinRequestReceived.event_name
REGISTERED = MemberRegistered.event_name
TRANSFERRED = MemberTransferred.event_name
LEFT, REJOINED, ERASED = (p.event_name for p in (MemberLeft, MemberRejoined, MemberErased))
_STATUS = {MemberLeft: "left", MemberRejoined: "active", MemberErased: "erased"}


def members_consumer(wiring: dict[str, Outreach], today: Clock) -> ConsumerSpec:
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
            ctx=caused_by(event),
        )

    return ConsumerSpec(
        "outreach-members", "MEMBERS", "union.members.join_request.>", on_members_event
    )


def member_facts_consumer(wiring: dict[str, Outreach]) -> ConsumerSpec:
    async def on_member_event(conn: AsyncConnection, event: IncomingEvent) -> None:
        """A member registered or transferred: outreach knows the member id and its district;
        a member left, rejoined or was erased: outreach knows whether they are a member now."""
        name = event.type.rsplit(".", 1)[0]
        if name not in (REGISTERED, TRANSFERRED, LEFT, REJOINED, ERASED):
            return
        payload = registry.parse(event.type, event.data)
        try:
            member_id = canonical_member_id(payload.member_id)
        except DomainError:
            log.warning("members published a member id that is no UUID: %r", payload.member_id)
            return  # no clerk can name it here (ids are canonical UUIDs at outreach's API)
        if isinstance(payload, MemberLeft | MemberRejoined | MemberErased):
            status, at = _STATUS[type(payload)], getattr(payload, "district", None)
            await note_status(
                wiring["outreach"].store,
                conn,
                member_id=member_id,
                status=status,
                district=at,
                on=payload.on,
                ctx=caused_by(event),
            )
            return
        if isinstance(payload, MemberRegistered):
            district, on, moved = payload.district, payload.joined_on, False
        else:
            assert isinstance(payload, MemberTransferred)
            district, on, moved = payload.to_district, payload.on, True
        await note_member(
            wiring["outreach"].store,
            conn,
            member_id=member_id,
            district=district,
            on=on,
            moved=moved,
            ctx=caused_by(event),
        )

    return ConsumerSpec(
        "outreach-member-facts", "MEMBERS", "union.members.member.>", on_member_event
    )
