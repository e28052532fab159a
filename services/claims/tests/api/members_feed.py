"""members' events as members' relay publishes them (CloudEvents on `union.members.>`, payloads
of `union_events.published.members`), for claims tests that run claims alone on real NATS."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import httpx
from union_events import codec
from union_events.contracts import EventPayload
from union_events.events import EventContext, RecordedEvent
from union_events.published.members import MemberEnrolled, OrgRegistered
from union_events.testing.waiting import eventually
from union_events.wire import encode


class MembersFeed:
    def __init__(self, js, claims: httpx.AsyncClient) -> None:
        self.js = js
        self.claims = claims

    async def send(
        self, payload: EventPayload, event_id: str | None = None, msg_id: str | None = None
    ) -> str:
        """Publish as members' relay does; `msg_id` a re-send after the duplicate window."""
        event_id = event_id or str(uuid.uuid4())
        data = codec.loads(payload.model_dump_json())
        recorded = RecordedEvent(
            1, "s-1", 1, event_id, payload.event_type(), data, datetime.now(UTC), EventContext()
        )
        subject, headers, body = encode(recorded, "/union/members")
        if msg_id:
            headers["Nats-Msg-Id"] = msg_id
        await self.js.publish(subject, body, headers=headers)
        return event_id

    async def orgs(self, *orgs: tuple[str, str]) -> None:
        """Register (path, level) orgs and wait until claims has heard of each."""
        for path, level in orgs:
            parent = path.rsplit("/", 1)[0] if "/" in path else None
            await self.send(OrgRegistered(path=path, name=path, level=level, parent=parent))
        for path, _ in orgs:
            await heard(self.claims, path)

    async def enrolled(self, member_id: str, district: str, year: int = 2026) -> None:
        await self.send(
            MemberEnrolled(
                member_id=member_id,
                plan_id="inpatient",
                year=year,
                insuring_district=district,
                on=date(year, 1, 5),
            )
        )


async def heard(claims: httpx.AsyncClient, path: str) -> None:
    """Until claims has heard of the org `path` from members (polled, with a deadline)."""

    async def known() -> bool:
        return (await claims.get(f"/orgs/{path}")).status_code == 200

    await eventually(known, timeout=20, message=f"claims heard of {path}")
