"""The relay's lease and checkpoint: one relay publishes a log, its checkpoint never moves back,
and every message says where in which log its event stands."""

from __future__ import annotations

import asyncio

import nats
from union_events.events import NewEvent
from union_events.lease import AdvisoryLease, LocalLease, lease_for, lease_key
from union_events.relay import Relay, StreamSpec, ensure_stream
from union_events.store import EventStore
from union_events.testing.jetstream import stream_messages
from union_events.testing.waiting import eventually
from union_events.wire import LOG_ID_HEADER, LOG_POSITION_HEADER
from union_events.writing import APPEND_LOCK_KEY


def made(n: int) -> list[NewEvent]:
    return [NewEvent("union.leasetest.thing.happened.v1", {"n": i}) for i in range(n)]


async def test_one_advisory_lease_per_service_and_it_is_free_again_when_its_session_ends(
    postgres_url,
):
    first, second = AdvisoryLease(postgres_url, "claims"), AdvisoryLease(postgres_url, "claims")
    other = AdvisoryLease(postgres_url, "members")
    try:
        assert await first.acquire()
        assert await first.acquire()  # held: taking it again is asking whether it still is
        assert not await second.acquire()
        assert await other.acquire()  # another service's relay has a lease of its own
        assert await first.still_held()
        await first.release()
        assert await second.acquire()
        assert not await first.still_held()
    finally:
        for lease in (first, second, other):
            await lease.release()


def test_lease_keys_are_the_service_names_and_never_the_append_lock():
    assert lease_key("claims") == lease_key("claims") != lease_key("members")
    assert APPEND_LOCK_KEY not in {lease_key(s) for s in ("members", "claims", "relief")}
    assert isinstance(lease_for("sqlite+aiosqlite:///x.db", "claims"), LocalLease)
    assert isinstance(lease_for("postgresql://u@/db?host=/tmp", "claims"), AdvisoryLease)


async def test_the_relay_checkpoint_never_moves_backwards(database_url):
    store = await EventStore.open(database_url)
    try:
        await store.advance_checkpoint("relay", 40)
        await store.advance_checkpoint("relay", 12)  # a late write of a lost lease holder
        assert await store.get_checkpoint("relay") == 40
        await store.advance_checkpoint("relay", 41)
        assert await store.get_checkpoint("relay") == 41
    finally:
        await store.close()


async def test_a_standby_relay_publishes_nothing_until_the_active_one_goes(postgres_url, nats_url):
    store = await EventStore.open(postgres_url)
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    spec = StreamSpec("LEASETEST", ("union.leasetest.>",))
    await ensure_stream(js, spec)
    holder = AdvisoryLease(postgres_url, "leasetest")
    stop = asyncio.Event()
    relay = Relay(
        store, js, source="/union/leasetest", stream=spec,
        lease=AdvisoryLease(postgres_url, "leasetest"), lease_poll_s=0.1,
    )  # fmt: skip
    assert await holder.acquire()  # another replica's relay holds the lease
    task = asyncio.create_task(relay.run(stop))
    try:
        await store.append("thing-1", 0, made(3))
        await eventually(lambda: relay.role == "standby", message="standing by")
        await asyncio.sleep(0.5)  # several lease polls: still nothing published
        assert (await js.stream_info(spec.name)).state.messages == 0
        await holder.release()  # its session ends, as when its process dies
        await eventually(lambda: relay.role == "active", timeout=10, message="took the lease")

        async def published() -> bool:
            return (await js.stream_info(spec.name)).state.messages == 3

        await eventually(published, timeout=10, message="3 events published")
        headers = [h for h, _ in await stream_messages(js, spec.name)]
        assert [h[LOG_POSITION_HEADER] for h in headers] == ["1", "2", "3"]
        assert {h[LOG_ID_HEADER] for h in headers} == {await store.log_id()}
        assert (relay.published, relay.duplicates) == (3, 0)
    finally:
        stop.set()
        await task
        await holder.release()
        await js.delete_stream(spec.name)
        await nc.close()
        await store.close()
