"""The event store contract, run against SQLite, PostgreSQL and the in-memory store
(`store_url`). Two tests are about one SQL database shared by several stores (processes,
replicas creating the schema) and run on SQL only (`database_url`): an in-memory store is one
process's own, there is nothing to share."""

from __future__ import annotations

import asyncio

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from union_events.appending import AppendRequest
from union_events.errors import ConcurrencyError, DuplicateEventError
from union_events.events import EventContext, NewEvent
from union_events.store import EventStore
from union_events.testing.stores import open_store


def made(n: int, kind: str = "union.test.thing.happened.v1") -> list[NewEvent]:
    return [NewEvent(kind, {"n": i, "amount": "3011.00"}) for i in range(n)]


@pytest.fixture
async def store(store_url):
    store = await open_store(store_url)
    yield store
    await store.close()


async def test_a_stream_reads_back_in_order_with_versions_and_data(store):
    await store.append("claim-1", 0, made(3))
    await store.append("claim-1", 3, made(2))
    events = await store.read_stream("claim-1")
    assert [e.version for e in events] == [1, 2, 3, 4, 5]
    assert [e.data["n"] for e in events] == [0, 1, 2, 0, 1]
    assert events[0].data["amount"] == "3011.00"
    assert events[0].occurred_at.tzinfo is not None
    assert [e.version for e in await store.read_stream("claim-1", after_version=3)] == [4, 5]


async def test_appending_at_a_stale_version_is_a_typed_conflict(store):
    await store.append("claim-1", 0, made(2))
    with pytest.raises(ConcurrencyError) as info:
        await store.append("claim-1", 1, made(1))
    assert (info.value.expected, info.value.actual) == (1, 2)
    with pytest.raises(ConcurrencyError):
        await store.append("claim-1", 0, made(1))  # 0: the stream must be new
    assert len(await store.read_stream("claim-1")) == 2


async def test_appending_ahead_of_a_streams_version_is_a_conflict_too(store):
    await store.append("claim-1", 0, made(2))
    with pytest.raises(ConcurrencyError) as info:
        await store.append("claim-1", 5, made(1))  # no version 3 to 5 in between
    assert (info.value.expected, info.value.actual) == (5, 2)
    assert [e.version for e in await store.read_stream("claim-1")] == [1, 2]


async def test_concurrent_appends_at_the_same_version_let_exactly_one_win(store):
    await store.append("claim-1", 0, made(1))
    attempts = [store.append("claim-1", 1, made(1)) for _ in range(20)]
    outcomes = await asyncio.gather(*attempts, return_exceptions=True)
    assert sum(not isinstance(o, BaseException) for o in outcomes) == 1
    assert all(isinstance(o, ConcurrencyError) for o in outcomes if isinstance(o, BaseException))
    assert [e.version for e in await store.read_stream("claim-1")] == [1, 2]


# SQL only: two stores (engines) on one database; an in-memory store is one process's own.
async def test_two_stores_on_one_database_still_let_only_one_writer_win(database_url):
    """Two processes' worth of writers: separate engines, separate group committers."""
    first, second = await EventStore.open(database_url), await EventStore.open(database_url)
    try:
        for round_ in range(10):
            stream = f"payment-{round_}"
            outcomes = await asyncio.gather(
                *[s.append(stream, 0, made(1)) for s in (first, second) for _ in range(3)],
                return_exceptions=True,
            )
            assert sum(not isinstance(o, BaseException) for o in outcomes) == 1
            assert len(await first.read_stream(stream)) == 1
    finally:
        await first.close()
        await second.close()


async def test_the_same_events_appended_again_are_a_no_op(store):
    events = made(2)
    first = await store.append("member-1", 0, events)
    again = await store.append("member-1", 0, events)  # a retried command, same event ids
    assert again == first
    assert len(await store.read_all()) == 2


async def test_an_event_id_cannot_stand_in_two_streams(store):
    events = made(1)
    await store.append("member-1", 0, events)
    with pytest.raises(DuplicateEventError):
        await store.append("member-2", None, events)
    assert await store.read_stream("member-2") == []


async def test_positions_are_dense_and_follow_commit_order(store):
    await asyncio.gather(*[store.append(f"s-{i}", 0, made(3)) for i in range(30)])
    log = await store.read_all(0, limit=10_000)
    assert [e.position for e in log] == list(range(1, 91))
    assert await store.head_position() == 90
    assert [e.position for e in await store.read_all(85)] == [86, 87, 88, 89, 90]


async def test_a_batch_append_is_all_or_nothing(store):
    await store.append("taken", 0, made(1))
    good = [AppendRequest(f"signup-{i}", 0, tuple(made(1))) for i in range(50)]
    stale = AppendRequest("taken", 0, tuple(made(1)))
    with pytest.raises(ConcurrencyError):
        await store.append_batch([*good, stale])
    assert await store.head_position() == 1
    results = await store.append_batch(good)
    assert [r.version for r in results] == [1] * 50
    assert await store.head_position() == 51


async def test_a_big_batch_goes_in_whole_with_dense_positions(store):
    await store.append("before", 0, made(1))
    requests = [AppendRequest(f"signup-{i}", 0, tuple(made(3))) for i in range(300)]
    results = await store.append_batch(requests)
    assert [r.position for r in results] == list(range(4, 902, 3))
    assert [e.position for e in await store.read_all(0, limit=10_000)] == list(range(1, 902))
    assert [e.data["n"] for e in await store.read_stream("signup-299")] == [0, 1, 2]


async def test_callers_that_give_up_mid_append_leave_the_store_appending(store):
    for i in range(20):  # cancelled at different points of the commit
        attempt = asyncio.create_task(store.append(f"abandoned-{i}", 0, made(2)))
        for _ in range(i):
            await asyncio.sleep(0)
        attempt.cancel()
        await asyncio.gather(attempt, return_exceptions=True)
    result = await store.append("claim-1", 0, made(1))
    log = await store.read_all(0, limit=10_000)
    assert [e.position for e in log] == list(range(1, len(log) + 1))
    assert result.position == len(log)


async def test_appends_go_on_after_postgresql_drops_the_connections(postgres_url):
    """A database restarted, a connection killed by an operator: an append may fail, the
    next ones go in, dense."""
    store = await EventStore.open(postgres_url)
    try:
        await store.append("claim-1", 0, made(1))
        async with store.engine.connect() as conn:
            await conn.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        outcomes = []
        for i in range(3):
            try:
                outcomes.append(await store.append(f"claim-{i + 2}", 0, made(1)))
            except Exception as exc:  # the killed connection's own append
                outcomes.append(exc)
        assert sum(isinstance(o, Exception) for o in outcomes) <= 1
        assert not isinstance(outcomes[-1], Exception)
        log = await store.read_all(0)
        assert [e.position for e in log] == list(range(1, len(log) + 1))
    finally:
        await store.close()


async def test_a_conflict_in_a_group_does_not_fail_its_neighbours(store):
    await store.append("busy", 0, made(1))
    outcomes = await asyncio.gather(
        store.append("busy", 0, made(1)),
        *[store.append(f"calm-{i}", 0, made(1)) for i in range(10)],
        return_exceptions=True,
    )
    assert isinstance(outcomes[0], ConcurrencyError)
    assert all(not isinstance(o, BaseException) for o in outcomes[1:])


async def test_concurrent_batches_share_a_commit_and_a_failing_one_leaves_nothing(store):
    await store.append("invoice-7", 0, made(1))
    batches = [
        [AppendRequest(f"claim-{i}", 0, tuple(made(2))), AppendRequest(f"invoice-{i}", 0, made(1))]
        for i in range(10)
    ]  # batch 7 claims an invoice taken already: all of it fails, its claim stream too
    outcomes = await asyncio.gather(
        *[store.append_batch(b) for b in batches],
        store.append("single", 0, made(1)),
        return_exceptions=True,
    )
    assert isinstance(outcomes[7], ConcurrencyError)
    assert [isinstance(o, BaseException) for o in outcomes].count(True) == 1
    assert await store.read_stream("claim-7") == []
    assert [e.version for e in await store.read_stream("claim-3")] == [1, 2]
    positions = [e.position for e in await store.read_all(0)]
    assert positions == list(range(1, 1 + 1 + 9 * 3 + 1))  # dense: nothing of batch 7 left


async def test_context_travels_with_the_event(store):
    context = EventContext("corr-1", "cause-1", "zhoushan/dinghai", None)
    await store.append("claim-9", 0, [NewEvent("union.test.x.v1", {}, context=context)])
    (event,) = await store.read_stream("claim-9")
    assert event.context == context


async def test_an_append_inside_a_span_records_its_traceparent(store):
    tracer = TracerProvider().get_tracer("test")
    with tracer.start_as_current_span("http request") as span:
        await store.append("claim-7", 0, made(1))
    (event,) = await store.read_stream("claim-7")
    trace_id = format(span.get_span_context().trace_id, "032x")
    assert event.context.traceparent is not None
    assert event.context.traceparent.split("-")[1] == trace_id
    assert trace.get_current_span() is trace.INVALID_SPAN


async def test_snapshots_save_and_load(store):
    assert await store.load_snapshot("member-1") is None
    await store.save_snapshot("member-1", 4, {"unit": "zhoushan/dinghai/u1"})
    await store.save_snapshot("member-1", 9, {"unit": "zhoushan/putuo/u2"})
    assert await store.load_snapshot("member-1") == (9, {"unit": "zhoushan/putuo/u2"})


async def test_without_group_commit_a_stale_append_still_raises(store_url):
    store = await open_store(store_url, group_commit=False)
    try:
        await store.append("claim-1", 0, made(1))
        with pytest.raises(ConcurrencyError):
            await store.append("claim-1", 0, made(1))
    finally:
        await store.close()


async def test_events_appended_again_without_a_version_check_are_a_no_op(store):
    events = made(3)
    first = await store.append("member-1", None, events)
    assert await store.append("member-1", None, events) == first
    assert len(await store.read_all()) == 3


async def test_stream_versions_tell_which_streams_exist(store):
    await store.append("identity-a", 0, made(1))
    await store.append("identity-b", 0, made(3))
    assert await store.stream_versions(["identity-a", "identity-b", "identity-c"]) == {
        "identity-a": 1,
        "identity-b": 3,
    }
    assert await store.stream_versions([]) == {}


async def test_several_streams_read_at_once_each_in_order(store):
    await store.append("claim-a", 0, made(3))
    await store.append("claim-b", 0, made(1))
    await store.append("claim-a", 3, made(1))
    found = await store.read_streams(["claim-a", "claim-b", "claim-new"])
    assert [e.version for e in found["claim-a"]] == [1, 2, 3, 4]
    assert [e.data["n"] for e in found["claim-a"]] == [0, 1, 2, 0]
    assert len(found["claim-b"]) == 1
    assert found["claim-new"] == []


# SQL only: concurrent schema creation on one database; memory has no schema to create.
async def test_replicas_opening_one_fresh_database_together_all_start(database_url):
    """Replicas of a service start at once on one database (k8s: two or more per Deployment):
    each creates the schema; on PostgreSQL two concurrent CREATE TABLEs of one table fail
    unless creation is serialized, and a replica that fails there never starts."""
    stores = await asyncio.gather(*[EventStore.open(database_url) for _ in range(8)])
    try:
        await stores[0].append("claim-1", 0, made(1))
        assert [len(await s.read_stream("claim-1")) for s in stores] == [1] * 8
    finally:
        await asyncio.gather(*[s.close() for s in stores])


async def test_checkpoints_are_kept_and_an_advance_never_moves_one_back(store):
    assert await store.get_checkpoint("relay") == 0
    await store.set_checkpoint("relay", 7)
    await store.advance_checkpoint("relay", 40)
    await store.advance_checkpoint("relay", 12)  # a late write of a lost lease holder
    assert await store.get_checkpoint("relay") == 40
    await store.set_checkpoint("relay", 3)  # a rebuild may set it back on purpose
    assert await store.get_checkpoint("relay") == 3


async def test_the_log_reads_as_stored_rows_in_position_order(store):
    await store.append("claim-1", 0, made(2))
    await store.append("claim-2", 0, made(1))
    rows = await store.read_log(1)
    assert [(r.position, r.stream_id) for r in rows] == [(2, "claim-1"), (3, "claim-2")]
    assert '"amount":"3011.00"' in rows[0].data_json
    assert [r.event_id for r in await store.read_log(0, limit=2)] == [
        e.id for e in await store.read_all(0, limit=2)
    ]


async def test_an_append_wakes_whoever_waits_for_one(store):
    waiting = asyncio.create_task(store.wait_for_append(30))
    await asyncio.sleep(0)
    await store.append("claim-1", 0, made(1))
    await asyncio.wait_for(waiting, 5)  # woken by the append, long before 30 s


async def test_the_log_keeps_one_identity(store):
    assert await store.log_id() == await store.log_id()
    await store.ping()
