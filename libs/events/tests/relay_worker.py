"""A relay in a process of its own, for the kill -9 test.

Usage: relay_worker.py DATABASE_URL NATS_URL STREAM
"""

import asyncio
import sys

import nats
from union_events.relay import Relay, StreamSpec, ensure_stream
from union_events.store import EventStore


async def main(database_url: str, nats_url: str, stream: str) -> None:
    store = await EventStore.open(database_url)
    nc = await nats.connect(nats_url)
    js = nc.jetstream(publish_async_max_pending=4000)
    spec = StreamSpec(stream, ("union.relaytest.>",))
    await ensure_stream(js, spec)
    relay = Relay(store, js, source="/union/relaytest", stream=spec, batch_size=500)
    await relay.run(asyncio.Event())


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
