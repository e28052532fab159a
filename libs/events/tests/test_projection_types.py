"""A projection that names the event types it folds reads only those from the log; its
checkpoint still moves past every event it skipped, live and on rebuild."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

import pytest
from sqlalchemy import Column, Connection, Integer, MetaData, String, Table, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection
from union_events.events import NewEvent, RecordedEvent
from union_events.projections import catch_up, checkpoint_name, create_read_models, rebuild
from union_events.store import EventStore

read_model = MetaData()
seen = Table(
    "typed_seen",
    read_model,
    Column("position", Integer, primary_key=True),
    Column("type", String(200), nullable=False),
)
JOINED = "union.test.member.joined.v1"
LEFT = "union.test.member.left.v1"
NOISE = "union.test.card.issued.v1"  # not folded


class Typed:
    name = "typed"
    tables: Sequence[Table] = (seen,)
    event_types: tuple[str, ...] = ("union.test.member.",)  # a prefix: joined and left

    def __init__(self) -> None:
        self.handed: list[str] = []

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        await conn.run_sync(self.apply_sync, [event])

    def apply_sync(self, conn: Connection, events: Sequence[RecordedEvent]) -> None:
        self.handed += [e.type for e in events]
        conn.execute(insert(seen), [{"position": e.position, "type": e.type} for e in events])


class TypedAsync(Typed):
    """The same through `apply_batch` (the async path), naming whole types."""

    event_types = (JOINED, LEFT)
    apply_sync = None  # type: ignore[assignment]

    async def apply_batch(self, conn: AsyncConnection, events: Sequence[RecordedEvent]) -> None:
        self.handed += [e.type for e in events]
        await conn.execute(insert(seen), [{"position": e.position, "type": e.type} for e in events])


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[EventStore]:
    store = await EventStore.open(database_url)
    try:
        yield store
    finally:
        await store.close()


async def write(store: EventStore, n: int) -> list[str]:
    """n members: each a noise event, joined, then every third left; types in log order."""
    types: list[str] = []
    for i in range(n):
        batch = [NOISE, JOINED] + ([LEFT] if i % 3 == 0 else [])
        await store.append(f"m-{i}", None, [NewEvent(t, {"i": i}) for t in batch])
        types += batch
    return types


async def rows(store: EventStore) -> list[tuple[int, str]]:
    async with store.engine.connect() as conn:
        found = await conn.execute(select(seen.c.position, seen.c.type).order_by(seen.c.position))
        return [(int(position), str(type_)) for position, type_ in found]


async def test_only_its_types_are_handed_to_it_and_the_checkpoint_passes_the_rest(
    store: EventStore,
) -> None:
    await create_read_models(store.engine, read_model, [Typed()])
    for projection in (Typed(), TypedAsync()):
        await rebuild(store, projection)  # empty: the other path's rows gone
        projection.handed.clear()
        types = await write(store, 40)
        head = await store.head_position()
        folded = [t for t in types if t != NOISE]

        applied = await catch_up(store, projection, batch_size=7)

        assert NOISE not in projection.handed
        assert applied == len(projection.handed)
        assert await store.get_checkpoint(checkpoint_name(projection)) == head
        live = await rows(store)
        assert [t for _, t in live][-len(folded) :] == folded
        await store.append("trailing", None, [NewEvent(NOISE, {})])  # skipped, yet passed
        assert await catch_up(store, projection) == 0
        assert await store.get_checkpoint(checkpoint_name(projection)) == head + 1
        rebuilt = await rebuild(store, projection, batch_size=5)
        assert rebuilt == len(live)
        assert await rows(store) == live  # rebuilt from the log: the same rows
