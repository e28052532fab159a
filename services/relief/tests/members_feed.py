"""Members, as relief hears of them: the members service's events, sent the way its relay
sends them (CloudEvents on NATS), or handed to relief's members consumer in a transaction.

Relief helps members it knows: a test registers its members through one of these first."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import httpx
from relief.app.relief import Relief
from relief.consumers.members import members_consumer
from union_events import codec
from union_events.events import EventContext, RecordedEvent
from union_events.published.members import MemberRegistered
from union_events.testing.waiting import eventually
from union_events.wire import IncomingEvent, encode


def registered(member_id: str, district: str) -> MemberRegistered:
    return MemberRegistered(
        member_id=member_id,
        unit=f"{district}/u1",
        district=district,
        joined_on=date(2020, 1, 1),
        channel="clerk",
    )


def recorded(payload) -> RecordedEvent:
    data = codec.loads(payload.model_dump_json())
    now = datetime.now(UTC)
    return RecordedEvent(
        1, "s-1", 1, str(uuid.uuid4()), payload.event_type(), data, now, EventContext()
    )


class Members:
    """Publishes members' events on NATS; `register` waits until relief knows the member."""

    def __init__(self, js, api: httpx.AsyncClient) -> None:
        self.js, self.api = js, api

    async def send(self, payload, source: str = "/union/members") -> None:
        subject, headers, body = encode(recorded(payload), source)
        await self.js.publish(subject, body, headers=headers)

    async def register(self, district: str = "zhoushan/dinghai", member_id: str | None = None):
        member_id = member_id or str(uuid.uuid4())
        await self.send(registered(member_id, district))

        async def heard() -> bool:
            return (await self.api.get(f"/members/{member_id}")).status_code == 200

        await eventually(heard, timeout=20, message=f"relief hears of member {member_id}")
        return member_id


async def hear_registered(relief: Relief, member_id: str, district: str) -> None:
    """Through relief's members consumer (its handler, in a transaction), without NATS."""
    event = recorded(registered(member_id, district))
    incoming = IncomingEvent(
        event.id, "/union/members", event.type, None, None, event.data, EventContext()
    )
    handler = members_consumer({"relief": relief}).handler
    async with relief.store.engine.begin() as conn:
        await handler(conn, incoming)
