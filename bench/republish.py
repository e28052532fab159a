"""How fast `unionctl republish` refills a stream, and how long `unionctl backup` takes, on
the embedded default (a SQLite log, a nats-server of our own on a free port).

    .venv/bin/python bench/republish.py --events 50000

Builds a log of N events (N/10 aggregates of 10) before the clock starts, then times the
republish into an empty stream and a second one into the full stream (every message a
duplicate JetStream drops), and the backup of the file; checks the stream holds N messages.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

import nats
from union_events.appending import AppendRequest
from union_events.embedded import NatsServer, free_port
from union_events.events import NewEvent
from union_events.service import ServiceDefinition
from union_events.settings import ServiceSettings
from union_events.store import EventStore
from unionctl.backup import backup
from unionctl.republish import republish


async def build_log(url: str, events: int) -> None:
    store = await EventStore.open(url)
    try:
        requests = [
            AppendRequest(
                f"thing-{a}",
                0,
                tuple(
                    NewEvent("union.bench.thing.changed.v1", {"thing": a, "n": n, "note": "x" * 80})
                    for n in range(10)
                ),
            )
            for a in range(events // 10)
        ]
        for start in range(0, len(requests), 200):
            await store.append_batch(requests[start : start + 200])
    finally:
        await store.close()


async def main(events: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        url = f"sqlite+aiosqlite:///{root / 'bench.db'}"
        await build_log(url, events)
        with NatsServer(store_dir=root / "nats", port=free_port()) as server:
            settings = ServiceSettings(nats_url=server.url)
            definition = ServiceDefinition(name="bench")
            for label in ("an empty stream", "a full stream (all duplicates)"):
                started = time.perf_counter()
                done = await republish(definition, url, settings)
                seconds = time.perf_counter() - started
                print(
                    f"republish into {label}: {done.sent} events in {seconds:.2f} s "
                    f"({done.sent / seconds:,.0f}/s), {done.kept} already held"
                )
            nc = await nats.connect(server.url)
            info = await nc.jetstream().stream_info("BENCH")
            await nc.close()
            assert info.state.messages == events, info.state.messages
        started = time.perf_counter()
        copy = backup("bench", url, root / "backup.db")
        seconds = time.perf_counter() - started
        print(f"backup: {copy.size / 1e6:.1f} MB, {copy.events} events in {seconds:.2f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=50_000)
    asyncio.run(main(parser.parse_args().events))
