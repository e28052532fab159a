"""Reading a JetStream stream back whole, for tests that compare it with the log; publishing
one event as another service would."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Any

import nats
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError, ServiceUnavailableError

from union_events.events import EventContext, RecordedEvent
from union_events.wire import encode


async def stream_messages(js: JetStreamContext, stream: str) -> list[tuple[dict[str, str], bytes]]:
    """Every message in `stream` as (headers, body), oldest first."""
    try:
        info = await js.stream_info(stream)
    except NotFoundError:
        return []
    total = info.state.messages
    if total == 0:
        return []
    config = ConsumerConfig(deliver_policy=DeliverPolicy.ALL, ack_policy=AckPolicy.NONE)
    sub = await js.pull_subscribe(">", stream=stream, config=config)
    found: list[tuple[dict[str, str], bytes]] = []
    unavailable = 0
    try:
        while len(found) < total:
            try:
                batch = await sub.fetch(min(1000, total - len(found)), timeout=5)
            except ServiceUnavailableError:  # a cluster moving its consumer's leader: again
                unavailable += 1
                if unavailable > 20:
                    raise
                await asyncio.sleep(0.5)
                continue
            for msg in batch:
                found.append((dict(msg.headers or {}), msg.data))
    finally:
        await sub.unsubscribe()
    return found


async def stream_event_ids(js: JetStreamContext, stream: str) -> list[str]:
    """The `Nats-Msg-Id` of every message in `stream`, oldest first (duplicates kept)."""
    return [headers.get("Nats-Msg-Id", "") for headers, _ in await stream_messages(js, stream)]


async def publish_event(
    nats_url: str, source: str, stream_id: str, event_type: str, data: dict[str, Any]
) -> str:
    """Publish one event as the relay of the service at `source` (e.g. "/union/claims")
    would: for a test of a consumer without the producing service. Returns the event id."""
    event = RecordedEvent(
        1, stream_id, 1, str(uuid.uuid4()), event_type, data, datetime.now(UTC), EventContext()
    )
    subject, headers, body = encode(event, source)
    nc = await nats.connect(servers=nats_url.split(","))  # one URL or a cluster's list
    try:
        await nc.jetstream().publish(subject, body, headers=headers)
    finally:
        await nc.drain()
    return event.id
