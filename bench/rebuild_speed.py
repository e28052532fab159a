"""Rebuild speed of every members and claims projection, on a city `bench/city_scale.py` kept.

    .venv/bin/python bench/city_scale.py --members 100000 --backends sqlite --data DIR --load-only
    .venv/bin/python bench/rebuild_speed.py DIR/sqlite-full-100000 [--batch 500] [--only NAME]

Copies the city's two SQLite databases aside (the city is left as it was), then empties and
rebuilds each projection from the log (`union_events.projections.rebuild`) one after the other,
and prints the log's events per second of wall time and per CPU-second of this process (on
SQLite the database's work runs in it, so it is counted). Runs with any worktree's
interpreter, so the same city measures a "before" and an "after".
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from union_events.projections import create_read_models, rebuild
from union_events.store import EventStore


async def measure(city: Path, work: Path, batch: int, only: str | None) -> None:
    from claims.bootstrap import definition as claims_definition
    from members.bootstrap import definition as members_definition

    os.environ["UNION_DATA_DIR"] = str(city)  # the lookup index's keys
    for name, definition in (("members", members_definition()), ("claims", claims_definition())):
        for suffix in (".db", ".db-wal"):  # the log as the loader left it
            if (city / f"{name}{suffix}").exists():
                shutil.copy(city / f"{name}{suffix}", work / f"{name}{suffix}")
        store = await EventStore.open(f"sqlite:///{work / name}.db")
        try:
            await create_read_models(store.engine, definition.metadata, definition.projections)
            head = await store.head_position()
            for projection in definition.projections:
                if only and projection.name != only:
                    continue
                t0, c0 = time.perf_counter(), time.process_time()
                await rebuild(store, projection, batch)
                wall, cpu = time.perf_counter() - t0, max(time.process_time() - c0, 1e-9)
                print(
                    f"{name}/{projection.name}: {head:,} events in {wall:.1f} s: "
                    f"{head / wall:,.0f} events/s, {head / cpu:,.0f} per CPU-s",
                    flush=True,
                )
        finally:
            await store.close()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("city", type=Path, help="a city directory bench/city_scale.py kept")
    parser.add_argument("--batch", type=int, default=500, help="events per batch")
    parser.add_argument("--only", default=None, help="one projection, by name")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="rebuild-speed-") as work:
        asyncio.run(measure(args.city, Path(work), args.batch, args.only))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
