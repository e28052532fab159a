"""The relay: the log published to a fresh JetStream stream on a real nats-server."""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass
from pathlib import Path

import nats
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError
from union_events.relay import Relay, StreamSpec, ensure_stream
from union_events.store import EventStore

from .backends import Database
from .timing import expect
from .workload import Workload, our_batch

STREAM = StreamSpec.for_service("bench")  # BENCH on union.bench.>


@dataclass(frozen=True, slots=True)
class Timing:
    """One timed run: wall seconds, CPU seconds of this process (all its threads) and of the
    nats-server (when its pid is known), and the messages the stream holds after it."""

    seconds: float
    cpu_s: float
    server_cpu_s: float | None
    messages: int


def relay_publish(db: Database, workload: Workload, nats_url: str) -> tuple[float, int]:
    """Seconds for `Relay.publish_pending` over the whole log, and the stream's count."""
    timing = asyncio.run(_relay_publish(db, workload, nats_url))
    return timing.seconds, timing.messages


def relay_timing(
    db: Database, workload: Workload, nats_url: str, server_pid: int | None = None
) -> Timing:
    """`relay_publish`, with the CPU time of this process and of the nats-server."""
    return asyncio.run(_relay_publish(db, workload, nats_url, server_pid))


class Stopwatch:
    """Wall, process CPU and (from /proc) a server's CPU between `start` and `stop`."""

    def __init__(self, server_pid: int | None) -> None:
        self.server_pid = server_pid

    def start(self) -> None:
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        self._server = server_cpu_seconds(self.server_pid)

    def stop(self, messages: int) -> Timing:
        wall, cpu = time.perf_counter() - self._wall, time.process_time() - self._cpu
        server = server_cpu_seconds(self.server_pid)
        used = None if server is None or self._server is None else server - self._server
        return Timing(wall, cpu, used, messages)


def server_cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU seconds of a process so far (Linux /proc), None if unknown."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _relay_publish(
    db: Database, workload: Workload, nats_url: str, server_pid: int | None = None
) -> Timing:
    store = await EventStore.open(db.url)
    nc = await nats.connect(nats_url)
    try:
        await store.append_batch(our_batch(workload))  # the log to relay: untimed
        js = nc.jetstream(publish_async_max_pending=4000)  # as the services configure it
        await _delete_stream(js)
        await ensure_stream(js, STREAM)
        relay = Relay(store, js, source="/union/bench", stream=STREAM)
        watch = Stopwatch(server_pid)
        watch.start()
        published = await relay.publish_pending()
        timing = watch.stop(0)
        expect("events published", published, workload.events)
        messages = (await js.stream_info(STREAM.name)).state.messages
        await _delete_stream(js)
    finally:
        await nc.close()
        await store.close()
    return Timing(timing.seconds, timing.cpu_s, timing.server_cpu_s, messages)


async def _delete_stream(js: JetStreamContext) -> None:
    try:
        await js.delete_stream(STREAM.name)
    except NotFoundError:
        pass
