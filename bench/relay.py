"""The relay against the broker's own speed, on one machine in one run.

    .venv/bin/python bench/relay.py [--events 20000] [--repeat 5]

(a) `Relay.publish_pending` over a SQLite log of N events into a fresh stream (what
`bench/event_store.py` reports as "(e) relay"); (b) the broker's pipelined ceiling from
Python: the same N prebuilt messages through nats-py's `publish_async`, all acks awaited, no
log read, no checkpoint. Each round runs both, interleaved, on a nats-server of its own; the
medians and their ratio are printed (a shared machine is noisy: compare ratios).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
from pathlib import Path

import nats
from store_bench.backends import SqliteBackend, temp_dir
from store_bench.relaying import STREAM, _delete_stream, relay_publish
from store_bench.timing import atimed
from store_bench.workload import Workload
from union_events.embedded import NatsServer
from union_events.relay import ensure_stream


async def broker_ceiling(nats_url: str, events: int) -> float:
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream(publish_async_max_pending=4000)
        await _delete_stream(js)
        await ensure_stream(js, STREAM)
        body = b'{"specversion":"1.0","data":{"amount":1}}' * 4
        messages = [(f"union.bench.agg-{i}", {"Nats-Msg-Id": f"m-{i}"}) for i in range(events)]

        async def publish_all() -> None:
            futures = [await js.publish_async(s, body, headers=h) for s, h in messages]
            await asyncio.gather(*futures)

        seconds, _ = await atimed(publish_all())
        await _delete_stream(js)
        return events / seconds
    finally:
        await nc.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    relay_rates: list[float] = []
    ceiling_rates: list[float] = []
    with temp_dir() as tmp, NatsServer(store_dir=Path(tmp) / "nats") as server:
        backend = SqliteBackend(Path(tmp))
        workload = Workload(args.events)
        for _ in range(args.repeat):
            with backend.fresh() as db:
                seconds, messages = relay_publish(db, workload, server.url)
            assert messages == args.events, messages
            relay_rates.append(args.events / seconds)
            ceiling_rates.append(asyncio.run(broker_ceiling(server.url, args.events)))
    relay, ceiling = statistics.median(relay_rates), statistics.median(ceiling_rates)
    print(f"events per run: {args.events}, runs: {args.repeat}")
    print(f"(a) relay, SQLite log -> JetStream:  {relay:>9,.0f} events/s (median)")
    print(f"(b) nats-py publish_async ceiling:   {ceiling:>9,.0f} messages/s (median)")
    print(f"relay / ceiling: {relay / ceiling:.2f}")
    print("runs (a):", ", ".join(f"{r:,.0f}" for r in relay_rates), file=sys.stderr)
    print("runs (b):", ", ".join(f"{r:,.0f}" for r in ceiling_rates), file=sys.stderr)


if __name__ == "__main__":
    main()
