"""The relay puts every logged event on JetStream exactly once, whatever dies on the way."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import nats
from union_events.appending import AppendRequest
from union_events.db import write_transaction
from union_events.embedded import NatsServer
from union_events.events import NewEvent
from union_events.relay import Relay, StreamSpec, ensure_stream
from union_events.store import EventStore, set_checkpoint
from union_events.testing.jetstream import stream_event_ids, stream_messages
from union_events.testing.waiting import eventually

WORKER = Path(__file__).with_name("relay_worker.py")


def made(n: int) -> list[NewEvent]:
    return [NewEvent("union.relaytest.thing.happened.v1", {"n": i}) for i in range(n)]


async def connect(url: str):
    nc = await nats.connect(url, max_reconnect_attempts=-1, reconnect_time_wait=0.2)
    return nc, nc.jetstream(publish_async_max_pending=4000)


async def logged_ids(store: EventStore) -> list[str]:
    return [e.id for e in await store.read_all(0, limit=1_000_000)]


async def until_relayed(js, stream: str, store: EventStore, within_s: float = 60) -> list[str]:
    want = await store.head_position()

    async def count() -> bool:
        return (await js.stream_info(stream)).state.messages >= want

    await eventually(count, timeout=within_s, message=f"{want} events on {stream}")
    return await stream_event_ids(js, stream)


async def test_the_relay_publishes_the_log_with_event_ids_and_keeps_its_checkpoint(
    database_url, nats_url
):
    store = await EventStore.open(database_url)
    nc, js = await connect(nats_url)
    spec = StreamSpec("RELAYBASIC", ("union.relaybasic.>",))
    await ensure_stream(js, spec)
    try:
        for i in range(5):
            await store.append(f"thing-{i}", 0, [
                NewEvent("union.relaybasic.thing.happened.v1", {"n": n}) for n in range(3)
            ])  # fmt: skip
        relay = Relay(store, js, source="/union/relaybasic", stream=spec)
        assert await relay.publish_pending() == 15
        assert await relay.publish_pending() == 0  # the checkpoint holds
        assert await store.get_checkpoint("relay") == 15
        assert await relay.lag() == 0
        assert await stream_event_ids(js, spec.name) == await logged_ids(store)
    finally:
        await js.delete_stream(spec.name)
        await nc.close()
        await store.close()


async def test_eight_concurrent_postgres_writers_lose_nothing_to_a_running_relay(
    postgres_url, nats_url
):
    """Positions handed out by concurrent transactions must never be skipped by the relay."""
    writers = [await EventStore.open(postgres_url) for _ in range(8)]
    relay_store = writers[0]
    nc, js = await connect(nats_url)
    spec = StreamSpec("RELAYPG", ("union.relaytest.>",))
    await ensure_stream(js, spec)
    relay = Relay(relay_store, js, source="/union/relaytest", stream=spec, idle_poll_s=0.05)
    stop = asyncio.Event()
    running = asyncio.create_task(relay.run(stop))

    async def write(store: EventStore, w: int) -> None:
        for a in range(250):  # 250 aggregates x 10 events x 8 writers = 20,000 events
            await store.append(f"w{w}-agg{a}", 0, made(10))

    try:
        await asyncio.gather(*[write(s, w) for w, s in enumerate(writers)])
        published = await until_relayed(js, spec.name, relay_store)
        logged = await logged_ids(relay_store)
        assert len(logged) == 20_000
        assert len(published) == len(set(published)) == 20_000
        assert set(published) == set(logged)
    finally:
        stop.set()
        await running
        await js.delete_stream(spec.name)
        await nc.close()
        for store in writers:
            await store.close()


async def test_nats_dying_mid_relay_and_coming_back_loses_and_duplicates_nothing(
    database_url, tmp_path
):
    server = NatsServer(store_dir=tmp_path / "nats").start()
    store = await EventStore.open(database_url)
    nc, js = await connect(server.url)
    spec = StreamSpec("RELAYCHAOS", ("union.relaytest.>",))
    await ensure_stream(js, spec)
    relay = Relay(store, js, source="/union/relaytest", stream=spec, batch_size=500,
                  ack_timeout_s=2.0, idle_poll_s=0.05)  # fmt: skip
    stop = asyncio.Event()
    running = asyncio.create_task(relay.run(stop))
    try:
        for a in range(300):
            await store.append(f"agg-{a}", 0, made(10))
            if a == 100:
                await eventually(lambda: relay.published_position > 0, timeout=20)
                server.kill()  # SIGKILL, mid-stream
            if a == 200:
                server.restart()
        published = await until_relayed(js, spec.name, store)
        logged = await logged_ids(store)
        assert len(published) == len(set(published)) == 3000
        assert set(published) == set(logged)
    finally:
        stop.set()
        await running
        await nc.close()
        await store.close()
        server.stop()


async def test_a_relay_process_killed_mid_batch_resumes_without_loss_or_duplicates(
    sqlite_url, nats_url
):
    store = await EventStore.open(sqlite_url)
    await store.append_batch([AppendRequest(f"agg-{a}", 0, tuple(made(10))) for a in range(2000)])
    nc, js = await connect(nats_url)
    stream = "RELAYKILL"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, str(WORKER), sqlite_url, nats_url, stream]
    try:
        worker = subprocess.Popen(command, env=env)  # noqa: ASYNC220
        try:
            await eventually(
                lambda: _messages(js, stream, at_least=3000), timeout=60, interval=0.01
            )
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait(10)
        assert (await js.stream_info(stream)).state.messages < 20_000, "killed too late"
        worker = subprocess.Popen(command, env=env)  # noqa: ASYNC220
        try:
            published = await until_relayed(js, stream, store)
        finally:
            worker.terminate()
            worker.wait(10)
        assert len(published) == len(set(published)) == 20_000
        assert set(published) == set(await logged_ids(store))
    finally:
        await js.delete_stream(stream)
        await nc.close()
        await store.close()


async def _messages(js, stream: str, at_least: int) -> bool:
    try:
        return (await js.stream_info(stream)).state.messages >= at_least
    except Exception:
        return False


async def test_after_the_duplicate_window_a_resend_is_a_new_message(nats_url, sqlite_url):
    """Why consumers must be idempotent: JetStream only de-duplicates inside its window."""
    window = 0.5
    store = await EventStore.open(sqlite_url)
    nc, js = await connect(nats_url)
    spec = StreamSpec("RELAYWINDOW", ("union.relaywindow.>",), duplicate_window_s=window)
    await ensure_stream(js, spec)
    try:
        await store.append("a", 0, [NewEvent("union.relaywindow.thing.happened.v1", {})])
        relay = Relay(store, js, source="/union/relaywindow", stream=spec)
        await relay.publish_pending()
        async with write_transaction(store.engine) as conn:
            await set_checkpoint(conn, "relay", 0)  # as if the checkpoint write was lost
        await relay.publish_pending()
        assert len(await stream_event_ids(js, spec.name)) == 1  # inside the window: dropped
        await asyncio.sleep(window + 0.5)
        async with write_transaction(store.engine) as conn:
            await set_checkpoint(conn, "relay", 0)
        await relay.publish_pending()
        assert len(await stream_event_ids(js, spec.name)) == 2
    finally:
        await js.delete_stream(spec.name)
        await nc.close()
        await store.close()


async def test_a_public_view_keeps_private_events_and_fields_off_the_wire(sqlite_url, nats_url):
    def public(stream_id, event_type, data):
        if event_type.endswith("note.taken.v1"):
            return None  # private to the service
        return event_type, {k: v for k, v in data.items() if k != "sealed"}

    store = await EventStore.open(sqlite_url)
    nc, js = await connect(nats_url)
    spec = StreamSpec("RELAYVIEW", ("union.relayview.>",))
    await ensure_stream(js, spec)
    try:
        registered = NewEvent(
            "union.relayview.member.registered.v1", {"member_id": "m-1", "sealed": "c2VjcmV0"}
        )
        note = NewEvent("union.relayview.note.taken.v1", {"text": "private"})
        await store.append("member-m-1", 0, [registered, note])
        relay = Relay(store, js, source="/union/relayview", stream=spec, public_view=public)
        await relay.publish_pending()
        messages = await stream_messages(js, spec.name)
        assert [h["Nats-Msg-Id"] for h, _ in messages] == [registered.id]
        assert b"c2VjcmV0" not in messages[0][1] and b"m-1" in messages[0][1]
        assert await relay.lag() == 0  # the private event counts as relayed
    finally:
        await js.delete_stream(spec.name)
        await nc.close()
        await store.close()
