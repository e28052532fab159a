"""Projections: kept live while writers append, rebuilt from the log to the same contents."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from typing import Any

import pytest
from sqlalchemy import Column, Connection, Integer, MetaData, String, Table, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from union_events.db import upsert, upsert_statement
from union_events.events import NewEvent, RecordedEvent
from union_events.projections import (
    catch_up,
    checkpoint_name,
    create_read_models,
    rebuild,
    run_projection,
    run_projections,
)
from union_events.store import EventStore
from union_events.testing.waiting import eventually

read_model = MetaData()
type_counts = Table(
    "activity_type_counts",
    read_model,
    Column("type", String(200), primary_key=True),
    Column("count", Integer, nullable=False),
)
stream_heads = Table(
    "activity_stream_heads",
    read_model,
    Column("stream_id", String(200), primary_key=True),
    Column("version", Integer, nullable=False),
)
other_counts = Table(
    "other_type_counts",
    read_model,
    Column("type", String(200), primary_key=True),
    Column("count", Integer, nullable=False),
)

TYPES = (
    "union.members.member.registered.v1",
    "union.members.member.joined_unit.v1",
    "union.members.member.transferred.v1",
)


class MemberActivity:
    """How many events of each type, and the last version applied per stream."""

    name: str = "member-activity"
    tables: Sequence[Table] = (type_counts, stream_heads)

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        bump = type_counts.update().where(type_counts.c.type == event.type)
        if (await conn.execute(bump.values(count=type_counts.c.count + 1))).rowcount == 0:
            await conn.execute(insert(type_counts).values(type=event.type, count=1))
        head = {"stream_id": event.stream_id, "version": event.version}
        await upsert(conn, stream_heads, head, ["stream_id"])


class MemberActivityInOneHop(MemberActivity):
    """The same read model, written as synchronous Core: a batch is one `store.run_write`."""

    def apply_sync(self, conn: Connection, events: Sequence[RecordedEvent]) -> None:
        for event in events:
            bump = type_counts.update().where(type_counts.c.type == event.type)
            if conn.execute(bump.values(count=type_counts.c.count + 1)).rowcount == 0:
                conn.execute(insert(type_counts).values(type=event.type, count=1))
            head = {"stream_id": event.stream_id, "version": event.version}
            conn.execute(upsert_statement(conn.dialect.name, stream_heads, head, ["stream_id"]))


@pytest.fixture(params=[MemberActivity, MemberActivityInOneHop], ids=["async", "sync"])
def activity(request: pytest.FixtureRequest) -> MemberActivity:
    return request.param()  # type: ignore[no-any-return]


Contents = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]


async def contents(store: EventStore) -> Contents:
    async with store.engine.connect() as conn:
        counts = await conn.execute(select(type_counts).order_by(type_counts.c.type))
        heads = await conn.execute(select(stream_heads).order_by(stream_heads.c.stream_id))
        return [tuple(r) for r in counts], [tuple(r) for r in heads]


def expected(streams: dict[str, list[str]]) -> Contents:
    counts = Counter(t for types in streams.values() for t in types)
    return sorted(counts.items()), sorted((s, len(types)) for s, types in streams.items())


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[EventStore]:
    store = await EventStore.open(database_url)
    async with store.engine.begin() as conn:
        await conn.run_sync(read_model.create_all)
    try:
        yield store
    finally:
        await store.close()


@pytest.fixture
async def other_writer(database_url: str, store: EventStore) -> AsyncIterator[EventStore]:
    """A writer on its own engine, as another process would be: it never wakes the runner."""
    writer = await EventStore.open(database_url, group_commit=False)
    try:
        yield writer
    finally:
        await writer.close()


async def write_member(store: EventStore, stream_id: str, count: int) -> list[str]:
    types = [TYPES[(len(stream_id) + v) % len(TYPES)] for v in range(count)]
    for version, event_type in enumerate(types):
        await store.append(stream_id, version, [NewEvent(event_type, {"v": version + 1})])
    return types


async def write_members(
    writers: list[EventStore], prefix: str, members: int
) -> dict[str, list[str]]:
    streams = [f"{prefix}-{i}" for i in range(members)]
    written = await asyncio.gather(
        *(write_member(writers[i % len(writers)], s, 3 + i % 5) for i, s in enumerate(streams))
    )
    return dict(zip(streams, written, strict=True))


async def caught_up(store: EventStore) -> bool:
    head = await store.head_position()
    return await store.get_checkpoint(checkpoint_name(MemberActivity())) == head


async def test_a_rebuilt_projection_equals_the_live_one_kept_up_during_concurrent_appends(
    store: EventStore, other_writer: EventStore, activity: MemberActivity
) -> None:
    stop = asyncio.Event()
    live = asyncio.create_task(run_projection(store, activity, stop, idle_poll_s=0.05))
    try:
        streams = await write_members([store, other_writer], "member", 40)
        streams |= await write_members([other_writer, store], "late-member", 10)
        await eventually(lambda: caught_up(store), message="live projection at the log's head")
        live_contents = await contents(store)
    finally:
        stop.set()
        await asyncio.wait_for(live, timeout=30)  # a runner that will not stop fails the test

    assert live_contents == expected(streams)
    assert await rebuild(store, activity, batch_size=37) == await store.head_position()
    assert await contents(store) == live_contents


async def test_a_rebuild_while_the_live_runner_goes_on_applies_every_event_once(
    store: EventStore, other_writer: EventStore, activity: MemberActivity
) -> None:
    streams = await write_members([store], "member", 20)
    stop = asyncio.Event()
    live = asyncio.create_task(run_projection(store, activity, stop, idle_poll_s=0.05))
    try:
        more, _rebuilt = await asyncio.gather(
            write_members([store, other_writer], "new-member", 20),
            rebuild(store, activity, batch_size=10),
        )
        await eventually(lambda: caught_up(store), message="live projection at the log's head")
    finally:
        stop.set()
        await asyncio.wait_for(live, timeout=30)  # a runner that will not stop fails the test

    assert await contents(store) == expected(streams | more)


async def test_catching_up_again_applies_nothing_and_resumes_from_the_checkpoint(
    store: EventStore, database_url: str, activity: MemberActivity
) -> None:
    streams = await write_members([store], "member", 3)  # 3 + 4 + 5 events
    assert await catch_up(store, activity) == 12
    first = await contents(store)

    assert await catch_up(store, activity) == 0
    assert await contents(store) == first == expected(streams)

    reopened = await EventStore.open(database_url)  # a restarted service
    try:
        assert await catch_up(reopened, activity) == 0
        streams |= await write_members([reopened], "later", 2)  # 3 + 4 events
        assert await catch_up(reopened, activity) == 7
        assert await contents(reopened) == expected(streams)
    finally:
        await reopened.close()


async def test_rebuild_empties_the_read_model_before_replaying(
    store: EventStore, activity: MemberActivity
) -> None:
    streams = await write_members([store], "member", 2)
    await catch_up(store, activity)
    async with store.engine.begin() as conn:  # drift a read model may suffer (a bad deploy, say)
        await conn.execute(update(type_counts).values(count=999))
        await conn.execute(insert(stream_heads).values(stream_id="ghost", version=1))

    assert await rebuild(store, activity) == 7
    assert await contents(store) == expected(streams)


# A release that adds a column to a read model: the service's start-up finds the table it
# holds short of the column, drops the read model, resets its checkpoint and it is rebuilt
# from the log; a read model whose columns did not change keeps its rows and checkpoint.
untouched = Table("activity_untouched", read_model, Column("k", String(10), primary_key=True))
release_2 = MetaData()
type_counts_2 = type_counts.to_metadata(release_2)
untouched_2 = untouched.to_metadata(release_2)
stream_heads_2 = Table(
    "activity_stream_heads",
    release_2,
    Column("stream_id", String(200), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("last_type", String(200), nullable=True),  # new in release 2
)


class MemberActivity2:
    name: str = "member-activity"
    tables: Sequence[Table] = (type_counts_2, stream_heads_2)

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        await MemberActivity().apply(conn, event)
        last = {"stream_id": event.stream_id, "version": event.version, "last_type": event.type}
        await upsert(conn, stream_heads_2, last, ["stream_id"])


class Untouched:
    """Unchanged in release 2."""

    name: str = "untouched"
    tables: Sequence[Table] = (untouched_2,)


async def test_a_read_model_whose_columns_changed_is_rebuilt_and_the_others_are_kept(
    store: EventStore,
) -> None:
    streams = await write_members([store], "member", 3)
    await catch_up(store, MemberActivity())
    head = await store.head_position()
    await store.set_checkpoint(checkpoint_name(Untouched()), head)
    async with store.engine.begin() as conn:
        await conn.execute(insert(untouched).values(k="kept"))
    before = await contents(store)

    renewed = await create_read_models(store.engine, release_2, [MemberActivity2(), Untouched()])

    assert renewed == ["member-activity"]
    assert await store.get_checkpoint(checkpoint_name(MemberActivity2())) == 0
    assert await store.get_checkpoint(checkpoint_name(Untouched())) == head
    assert await catch_up(store, MemberActivity2()) == head
    assert await contents(store) == before == expected(streams)
    async with store.engine.connect() as conn:
        rows = await conn.execute(select(stream_heads_2.c.stream_id, stream_heads_2.c.last_type))
        last = dict(rows.all())
    assert last == {stream: types[-1] for stream, types in streams.items()}
    async with store.engine.connect() as conn:
        assert (await conn.execute(select(untouched_2.c.k))).scalars().all() == ["kept"]
    again = await create_read_models(store.engine, release_2, [MemberActivity2(), Untouched()])
    assert again == []  # the next start-up finds nothing to renew


class OtherActivityInOneHop(MemberActivityInOneHop):
    """A second read model of the same kind (its own checkpoint, the same tables' rows
    doubled by nothing: it counts into tables of its own)."""

    name = "other-activity"
    tables: Sequence[Table] = (other_counts,)

    def apply_sync(self, conn: Connection, events: Sequence[RecordedEvent]) -> None:
        for event in events:
            values = {"type": event.type, "count": 1}
            bump = other_counts.update().where(other_counts.c.type == event.type)
            if conn.execute(bump.values(count=other_counts.c.count + 1)).rowcount == 0:
                conn.execute(insert(other_counts).values(**values))


class Broken(MemberActivityInOneHop):
    name = "broken"
    tables: Sequence[Table] = ()

    def apply_sync(self, conn: Connection, events: Sequence[RecordedEvent]) -> None:
        raise RuntimeError("a bug in this read model")


async def other_contents(store: EventStore) -> list[tuple[Any, ...]]:
    async with store.engine.connect() as conn:
        rows = await conn.execute(select(other_counts).order_by(other_counts.c.type))
        return [tuple(r) for r in rows]


async def test_read_models_kept_together_each_get_every_event_once_even_one_rebuilt_meanwhile(
    store: EventStore, other_writer: EventStore
) -> None:
    """The service's sync read models share one read and one transaction per batch; one
    rebuilt while they run starts from the beginning and the other goes on from where it is."""
    first, second = MemberActivityInOneHop(), OtherActivityInOneHop()
    streams = await write_members([store], "member", 20)
    stop = asyncio.Event()
    live = [asyncio.create_task(r) for r in run_projections(store, [first, second], stop, 0.05)]

    async def both_at_head() -> bool:
        head = await store.head_position()
        at = [await store.get_checkpoint(checkpoint_name(p)) for p in (first, second)]
        return at == [head, head]

    try:
        await eventually(both_at_head, message="both read models at the log's head")
        more, _ = await asyncio.gather(
            write_members([store, other_writer], "new-member", 20),
            rebuild(store, second, batch_size=10),
        )
        await eventually(both_at_head, message="both read models at the log's head again")
    finally:
        stop.set()
        await asyncio.wait_for(asyncio.gather(*live), timeout=30)
    assert await contents(store) == expected(streams | more)
    assert await other_contents(store) == expected(streams | more)[0]


async def test_a_read_model_that_fails_does_not_hold_back_those_kept_with_it(
    store: EventStore,
) -> None:
    healthy, broken = MemberActivityInOneHop(), Broken()
    streams = await write_members([store], "member", 10)
    stop = asyncio.Event()
    live = [asyncio.create_task(r) for r in run_projections(store, [broken, healthy], stop, 0.05)]
    try:
        head = await store.head_position()
        await eventually(
            lambda: _at(store, healthy, head), message="the healthy read model at the head"
        )
        assert await store.get_checkpoint(checkpoint_name(broken)) in (None, 0)
    finally:
        stop.set()
        await asyncio.wait_for(asyncio.gather(*live), timeout=30)
    assert await contents(store) == expected(streams)


async def _at(store: EventStore, projection: MemberActivity, position: int) -> bool:
    return await store.get_checkpoint(checkpoint_name(projection)) == position


# A release that adds a table to a read model (day totals beside its rows, say): created
# empty, it would miss everything before the checkpoint; so the read model is rebuilt.
release_3 = MetaData()
type_counts_3 = type_counts.to_metadata(release_3)
stream_heads_3 = stream_heads.to_metadata(release_3)
type_firsts_3 = Table(  # new in release 3: the first stream each type was seen on
    "activity_type_firsts",
    release_3,
    Column("type", String(200), primary_key=True),
    Column("stream_id", String(200), nullable=False),
)


class MemberActivity3(MemberActivity):
    tables: Sequence[Table] = (type_counts_3, stream_heads_3, type_firsts_3)

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        await super().apply(conn, event)
        seen = select(type_firsts_3.c.type).where(type_firsts_3.c.type == event.type)
        if (await conn.execute(seen)).first() is None:
            await conn.execute(
                insert(type_firsts_3).values(type=event.type, stream_id=event.stream_id)
            )


async def test_a_read_model_that_gained_a_table_is_rebuilt_with_it(store: EventStore) -> None:
    streams = await write_members([store], "member", 3)
    await catch_up(store, MemberActivity())
    head = await store.head_position()

    renewed = await create_read_models(store.engine, release_3, [MemberActivity3()])

    assert renewed == ["member-activity"]
    assert await catch_up(store, MemberActivity3()) == head
    assert await contents(store) == expected(streams)
    async with store.engine.connect() as conn:
        firsts = dict((await conn.execute(select(type_firsts_3))).all())
    assert firsts == {t: "member-0" for t in {t for types in streams.values() for t in types}}
    assert await create_read_models(store.engine, release_3, [MemberActivity3()]) == []
