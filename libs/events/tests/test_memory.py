"""What an operator sees of a service's memory: a service on SQLite does not load the
PostgreSQL driver, and a process gives memory back after a burst (`union_events.heap`)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap

import pytest
from union_events import heap

SQLITE_SERVICE = textwrap.dedent(
    """
    import asyncio, sys, tempfile
    from pathlib import Path

    import claims.main, members.main, outreach.main, relief.main  # noqa: F401
    from union_events.events import NewEvent
    from union_events.store import EventStore

    async def main():
        with tempfile.TemporaryDirectory() as tmp:
            store = await EventStore.open(f"sqlite:///{Path(tmp) / 'log.db'}")
            await store.append("s-1", 0, [NewEvent(type="t.v1", data={"n": 1})])
            assert len(await store.read_stream("s-1")) == 1
            await store.close()

    asyncio.run(main())
    print(sorted(m for m in sys.modules if m == "asyncpg" or m.startswith(
        ("asyncpg.", "sqlalchemy.dialects.postgresql"))))
    """
)


def test_a_service_on_sqlite_loads_no_postgresql_driver() -> None:
    """asyncpg and SQLAlchemy's PostgreSQL dialect cost about 7 MiB of RSS per process: four
    services on SQLite (the embedded default) import, open their log, append and read
    without them."""
    run = subprocess.run(
        [sys.executable, "-c", SQLITE_SERVICE], capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == "[]", run.stdout


BURST = textwrap.dedent(
    """
    import asyncio
    from union_events import heap

    async def main():
        stop = asyncio.Event()
        task = asyncio.create_task(heap.trim_freed(stop, every_s=0.05))
        await asyncio.sleep(0.2)  # it has had its first look
        burst = [str(i) * 8 for i in range(2_000_000)]  # ~200 MiB of small objects
        keep = burst[::1000]  # a few survive, scattered through it, as after a real request
        grown = heap.rss_bytes()
        del burst
        for _ in range(100):
            await asyncio.sleep(0.05)
            if heap.rss_bytes() < grown - 100 * 2**20:
                break
        stop.set()
        await task
        print((grown - heap.rss_bytes()) // 2**20, len(keep))

    asyncio.run(main())
    """
)


@pytest.mark.skipif(not heap.available(), reason="needs glibc's malloc_trim and mallinfo2")
def test_a_process_gives_back_what_a_burst_freed() -> None:
    """The way the services run (`PYTHONMALLOC=malloc`): a burst of small objects freed, with a
    few survivors among them, comes back to the operating system within moments."""
    env = {**os.environ, "PYTHONMALLOC": "malloc"}
    run = subprocess.run(
        [sys.executable, "-c", BURST], capture_output=True, text=True, check=True, env=env
    )
    given_back_mib = int(run.stdout.split()[0])
    assert given_back_mib >= 100, run.stdout


async def test_trim_freed_stops_when_told() -> None:
    stop = asyncio.Event()
    task = asyncio.create_task(heap.trim_freed(stop, every_s=0.01))
    await asyncio.sleep(0.05)
    stop.set()
    await asyncio.wait_for(task, 5)
    assert task.done()
