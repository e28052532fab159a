"""An enrolment intake heard from outreach over NATS becomes a join request of the district,
once, however often it is delivered; clerks list them with GET /join-requests."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import nats
from sqlalchemy import select
from union_events.events import EventContext, RecordedEvent
from union_events.schema import inbox
from union_events.testing.waiting import eventually
from union_events.wire import encode

DISTRICT = "zhoushan/dinghai"


def intake_message(kind: str, district: str = DISTRICT) -> tuple[str, dict[str, str], bytes]:
    intake_id = str(uuid.uuid4())
    data = {
        "intake_id": intake_id,
        "kind": kind,
        "channel": "session",
        "district": district,
        "place": f"{district}/ferry-square",
        "member_id": None,
        "on": date(2026, 10, 20).isoformat(),
    }
    event = RecordedEvent(
        1, f"intake-{intake_id}", 1, str(uuid.uuid4()), "union.outreach.intake.recorded.v1",
        data, datetime.now(UTC), EventContext(org_path=district),
    )  # fmt: skip
    return encode(event, "/union/outreach")


async def publish(nats_url: str, *messages: tuple[str, dict[str, str], bytes]) -> None:
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        for subject, headers, body in messages:
            await js.publish(subject, body, headers=headers)
    finally:
        await nc.drain()


def consumer_of(api):
    runtime = api._transport.app.state.runtime
    return next(c for c in runtime.consumers if c.spec.name == "members-outreach")


async def in_inbox(api, event_id: str) -> bool:
    engine = api._transport.app.state.runtime.store.engine
    async with engine.connect() as conn:
        found = await conn.scalar(select(inbox.c.event_id).where(inbox.c.event_id == event_id))
    return found is not None


async def listed(api, district: str = DISTRICT) -> dict:
    return (await api.get(f"/join-requests?district={district}")).json()


async def test_an_enrolment_intake_becomes_one_join_request_under_redelivery(api, nats_url):
    district = f"zhoushan/d{uuid.uuid4().hex[:8]}"
    subject, headers, body = intake_message("union_enrolment", district)
    consumer = consumer_of(api)
    await publish(nats_url, (subject, headers, body))
    requests = await eventually(
        lambda: _with_total(listed(api, district), 1), message="join request listed"
    )
    [request] = requests["join_requests"]
    assert request["district"] == district and request["place"].endswith("/ferry-square")

    # The same CloudEvent again, past JetStream's duplicate window (a new Nats-Msg-Id).
    before = consumer.duplicates
    await publish(nats_url, (subject, headers | {"Nats-Msg-Id": str(uuid.uuid4())}, body))
    await eventually(lambda: consumer.duplicates == before + 1, message="redelivery turned away")
    assert (await listed(api, district))["total"] == 1


async def test_other_intake_kinds_make_no_join_request(api, nats_url):
    district = f"zhoushan/d{uuid.uuid4().hex[:8]}"
    consumer = consumer_of(api)
    before = consumer.handled
    await publish(
        nats_url, intake_message("hardship", district), intake_message("legal_aid", district)
    )
    await eventually(lambda: consumer.handled >= before + 2, message="intakes handled")
    assert (await listed(api, district))["total"] == 0


async def test_bad_district_is_a_422_with_a_clear_message(api):
    response = await api.get("/join-requests?district=Dinghai")
    assert response.status_code == 422
    assert "district" in response.json()["error"]["message"]


async def _with_total(awaitable, total: int):
    body = await awaitable
    return body if body["total"] == total else None
