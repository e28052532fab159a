"""The relay: the log published to a fresh JetStream stream on a real nats-server."""

from __future__ import annotations

import asyncio

import nats
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError
from union_events.relay import Relay, StreamSpec, ensure_stream
from union_events.store import EventStore

from .backends import Database
from .timing import atimed, expect
from .workload import Workload, our_batch

STREAM = StreamSpec.for_service("bench")  # BENCH on union.bench.>


def relay_publish(db: Database, workload: Workload, nats_url: str) -> tuple[float, int]:
    """Seconds for `Relay.publish_pending` over the whole log, and the stream's count."""
    return asyncio.run(_relay_publish(db, workload, nats_url))


async def _relay_publish(db: Database, workload: Workload, nats_url: str) -> tuple[float, int]:
    store = await EventStore.open(db.url)
    nc = await nats.connect(nats_url)
    try:
        await store.append_batch(our_batch(workload))  # the log to relay: untimed
        js = nc.jetstream(publish_async_max_pending=4000)  # as the services configure it
        await _delete_stream(js)
        await ensure_stream(js, STREAM)
        relay = Relay(store, js, source="/union/bench", stream=STREAM)
        seconds, published = await atimed(relay.publish_pending())
        expect("events published", published, workload.events)
        messages = (await js.stream_info(STREAM.name)).state.messages
        await _delete_stream(js)
    finally:
        await nc.close()
        await store.close()
    return seconds, messages


async def _delete_stream(js: JetStreamContext) -> None:
    try:
        await js.delete_stream(STREAM.name)
    except NotFoundError:
        pass
