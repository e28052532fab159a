import asyncio

from union_events.events import NewEvent
from union_events.store import EventStore


async def test_smoke(database_url):
    store = await EventStore.open(database_url)
    r = await store.append("s-1", 0, [NewEvent("t.v1", {"a": 1}), NewEvent("t.v1", {"a": 2})])
    assert r.version == 2 and r.position == 2
    results = await asyncio.gather(
        *[store.append(f"s-{i}", 0, [NewEvent("t.v1", {"i": i})]) for i in range(2, 50)]
    )
    assert [x.version for x in results] == [1] * 48
    evs = await store.read_all(0)
    assert len(evs) == 50
    await store.close()
