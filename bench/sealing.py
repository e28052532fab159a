"""Sealing personal data in bulk (the QR sign-up path): `seal_many` of N subjects on SQLite.

    uv run python bench/sealing.py [--subjects 10000] [--repeat 3]

Prints each run's time and subjects/s, then the median. (It was a timed assertion in the tests;
on shared machines speed is measured here instead.)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import MetaData
from union_events.db import create_engine
from union_events.sealing import SealingVault, key_table


async def one_run(subjects: int, directory: Path, run: int) -> float:
    keys = key_table("subject_keys", MetaData(), created_at=True)
    engine = create_engine(f"sqlite:///{directory / f'vault-{run}.db'}")
    vault: SealingVault[str] = SealingVault(engine, os.urandom(32), keys, str.encode, bytes.decode)
    await vault.create()
    try:
        await vault.seal("warm-up", "王小明|33090219900517001X|13800000000|")
        items = [
            (f"member-{i:06d}", f"骑手{i:06d}|3309021990051{i:05d}|139{i:08d}|")
            for i in range(subjects)
        ]
        started = time.perf_counter()
        await vault.seal_many(items)
        return time.perf_counter() - started
    finally:
        await engine.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        times = []
        for run in range(args.repeat):
            elapsed = await one_run(args.subjects, Path(tmp), run)
            times.append(elapsed)
            print(f"run {run + 1}: {elapsed:.3f} s, {args.subjects / elapsed:,.0f} subjects/s")
    median = statistics.median(times)
    print(f"median of {args.repeat}: {median:.3f} s, {args.subjects / median:,.0f} subjects/s")


if __name__ == "__main__":
    asyncio.run(main())
