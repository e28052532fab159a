"""Reading a JetStream stream back whole, for tests that compare it with the log."""

from __future__ import annotations

from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError


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
    try:
        while len(found) < total:
            for msg in await sub.fetch(min(1000, total - len(found)), timeout=5):
                found.append((dict(msg.headers or {}), msg.data))
    finally:
        await sub.unsubscribe()
    return found


async def stream_event_ids(js: JetStreamContext, stream: str) -> list[str]:
    """The `Nats-Msg-Id` of every message in `stream`, oldest first (duplicates kept)."""
    return [headers.get("Nats-Msg-Id", "") for headers, _ in await stream_messages(js, stream)]
