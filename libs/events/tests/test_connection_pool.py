"""PostgreSQL connections: a busy service keeps a bounded set open and reuses them, instead of
opening (PostgreSQL forking a backend) and closing one per request beyond its pool."""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from union_events.events import NewEvent
from union_events.store import EventStore


async def test_many_concurrent_requests_share_the_pool_and_open_no_connection_each(
    postgres_url: str,
):
    store = await EventStore.open(postgres_url, pool_size=4)
    backends: set[int] = set()
    try:
        for n in range(8):
            await store.append(f"member-{n}", 0, [NewEvent("union.test.happened.v1", {"n": n})])

        async def request(n: int) -> None:
            async with store.engine.connect() as conn:  # what a read of a request holds
                backends.add(int((await conn.execute(text("SELECT pg_backend_pid()"))).scalar()))
                await asyncio.sleep(0.01)
            assert len(await store.read_stream(f"member-{n % 8}")) == 1

        for _ in range(5):  # 5 rounds of 40 requests at once, 10 times the pool
            await asyncio.gather(*(request(n) for n in range(40)))
    finally:
        await store.close()
    assert len(backends) <= 4, f"{len(backends)} connections opened for a pool of 4"
