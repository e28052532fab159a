"""Inbox consumers over real JetStream and real SQL: idempotent, dead-lettering, going on."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import nats
import pytest
from faststream.nats import NatsBroker
from nats.aio.client import Client as NatsClient
from nats.aio.msg import Msg
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection
from union_events.appending import AppendRequest
from union_events.consumer import ConsumerSpec, Handler, InboxConsumer, dead_letter_subject
from union_events.db import create_engine
from union_events.events import EventContext, NewEvent, RecordedEvent
from union_events.relay import StreamSpec, ensure_stream
from union_events.schema import inbox
from union_events.service import subscribe
from union_events.store import EventStore
from union_events.testing.waiting import eventually
from union_events.wire import IncomingEvent, encode

effects_metadata = MetaData()
effects = Table(
    "effects",
    effects_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False),  # deliberately not unique: the inbox guards
    Column("amount", String(20), nullable=False),
)


class LedgerClosed(Exception):
    pass


class Rig:
    """One producer stream, one consuming service with its DLQ stream; names unique per test."""

    def __init__(self, store: EventStore, nc: NatsClient, nats_url: str) -> None:
        tag = uuid.uuid4().hex[:10]
        self.store, self.nc, self.js, self.nats_url = store, nc, nc.jetstream(), nats_url
        self.producer, self.service, self.durable = f"p{tag}", f"s{tag}", f"c{tag}"
        self.source = StreamSpec(f"P{tag.upper()}", (f"union.{self.producer}.>",))
        self.dlq = StreamSpec(f"DLQ_S{tag.upper()}", (f"union.dlq.{self.service}.>",))
        self.subject = f"union.{self.producer}.payment.made.v1"
        self.broker: NatsBroker | None = None
        self.consumer: InboxConsumer | None = None

    async def start(self, handler: Handler, **spec_options: Any) -> InboxConsumer:
        await ensure_stream(self.js, self.source)
        await ensure_stream(self.js, self.dlq)
        spec = ConsumerSpec(
            self.durable, self.source.name, self.source.subjects[0], handler, **spec_options
        )
        self.consumer = InboxConsumer(
            spec, self.store.engine, self.js, self.service, self.store.notify_appended
        )
        self.broker = NatsBroker(self.nats_url)
        subscribe(self.broker, self.consumer)
        await self.broker.start()
        return self.consumer

    def event(self, **data: Any) -> RecordedEvent:
        return RecordedEvent(
            position=1,
            stream_id=f"payment-{uuid.uuid4().hex[:8]}",
            version=1,
            id=str(uuid.uuid4()),
            type=self.subject,
            data=data,
            occurred_at=datetime.now(UTC),
            context=EventContext(org_path="zhoushan/dinghai"),
        )

    async def publish(
        self, body: bytes, msg_id: str | None = None, headers: dict[str, str] | None = None
    ) -> int:
        headers = {"Nats-Msg-Id": msg_id or uuid.uuid4().hex, **(headers or {})}
        ack = await self.js.publish(self.subject, body, headers=headers)
        assert not ack.duplicate, "JetStream dropped a copy the test meant to deliver"
        return int(ack.seq)

    async def publish_event(self, event: RecordedEvent, msg_id: str | None = None) -> int:
        _subject, _headers, body = encode(event, f"/union/{self.producer}")
        return await self.publish(body, msg_id)

    async def settled(self, seq: int) -> bool:
        """Every message up to stream sequence `seq` is acknowledged by the consumer."""
        info = await self.js.consumer_info(self.source.name, self.durable)
        return bool(info.ack_floor and info.ack_floor.stream_seq >= seq)

    async def dead_letters(self, count: int, timeout: float = 10.0) -> list[Msg]:
        """The first `count` messages on the consumer's dead-letter subject, read back."""
        subject = dead_letter_subject(self.service, self.durable)
        sub = await self.js.subscribe(subject, stream=self.dlq.name)
        letters: list[Msg] = []
        try:
            while len(letters) < count:
                letters.append(await sub.next_msg(timeout=timeout))
        except nats.errors.TimeoutError:
            raise AssertionError(
                f"{len(letters)} of {count} dead letters on {subject} within {timeout}s"
            ) from None
        finally:
            await sub.unsubscribe()
        return letters

    async def effect_count(self, event_id: str) -> int:
        query = select(func.count()).select_from(effects).where(effects.c.event_id == event_id)
        async with self.store.engine.connect() as conn:
            return int(await conn.scalar(query) or 0)

    async def inbox_count(self, event_id: str) -> int:
        where = (inbox.c.consumer == self.durable) & (inbox.c.event_id == event_id)
        async with self.store.engine.connect() as conn:
            return int(await conn.scalar(select(func.count()).select_from(inbox).where(where)) or 0)

    async def close(self) -> None:
        if self.broker is not None:
            await self.broker.stop()
        for stream in (self.source.name, self.dlq.name):
            try:
                await self.js.delete_stream(stream)
            except nats.js.errors.NotFoundError:
                pass


@pytest.fixture
async def rig(database_url: str, nats_url: str) -> AsyncIterator[Rig]:
    store = await EventStore.open(database_url)
    async with store.engine.begin() as conn:
        await conn.run_sync(effects_metadata.create_all)
    nc = await nats.connect(nats_url)
    the_rig = Rig(store, nc, nats_url)
    try:
        yield the_rig
    finally:
        await the_rig.close()
        await nc.close()
        await store.close()


async def record_payment(conn: AsyncConnection, event: IncomingEvent) -> None:
    await conn.execute(insert(effects).values(event_id=event.id, amount=event.data["amount"]))


async def test_an_event_delivered_twice_is_applied_once(rig: Rig) -> None:
    consumer = await rig.start(record_payment)
    event = rig.event(amount="3011.00")

    await rig.publish_event(event, msg_id="first-copy")
    last = await rig.publish_event(event, msg_id="second-copy")
    await eventually(lambda: rig.settled(last), message="both copies acknowledged")

    assert await rig.effect_count(event.id) == 1
    assert await rig.inbox_count(event.id) == 1
    assert (consumer.handled, consumer.duplicates) == (1, 1)


JSON = {"content-type": "application/json"}


@pytest.mark.parametrize(
    ("poison", "headers", "reason"),
    [
        (b"\xff\xfe definitely not JSON", {}, "unparseable: body is not JSON"),
        (b'{"hello": "world"}', {}, "unparseable: missing CloudEvents attributes"),
        (b'{"specversion": "0.3", "id": "1", "source": "/x", "type": "t"}', {}, "specversion"),
        (b"{not json, though labelled so", JSON, "unparseable: body is not JSON"),
        (b"[" * 100_000, {}, "unparseable"),
    ],
    ids=[
        "not-json", "not-a-cloudevent", "wrong-specversion", "labelled-json-but-not-json",
        "json-nested-too-deep",
    ],
)  # fmt: skip
async def test_a_poison_message_is_dead_lettered_and_the_next_one_still_handled(
    rig: Rig, poison: bytes, headers: dict[str, str], reason: str
) -> None:
    consumer = await rig.start(record_payment)
    good = rig.event(amount="120.50")

    await rig.publish(poison, headers=headers)
    last = await rig.publish_event(good)

    [letter] = await rig.dead_letters(1)
    assert letter.data == poison
    assert letter.headers is not None
    assert reason in letter.headers["Union-Dead-Letter-Reason"]
    assert letter.headers["Union-Original-Subject"] == rig.subject
    await eventually(lambda: rig.effect_count(good.id), message="good message applied")
    await eventually(lambda: rig.settled(last), message="poison and good message acknowledged")
    assert (consumer.handled, consumer.dead_lettered) == (1, 1)


async def test_a_handler_that_keeps_failing_is_retried_then_dead_lettered_and_the_consumer_goes_on(
    rig: Rig,
) -> None:
    attempts: list[str] = []

    async def pay_unless_ledger_closed(conn: AsyncConnection, event: IncomingEvent) -> None:
        if event.data.get("year") == 2023:
            attempts.append(event.id)
            raise LedgerClosed("the 2023 ledger is closed")
        await record_payment(conn, event)

    consumer = await rig.start(pay_unless_ledger_closed, max_deliveries=3, retry_delay_s=0.05)
    doomed, fine = rig.event(amount="88.00", year=2023), rig.event(amount="99.00", year=2024)

    await rig.publish_event(doomed)
    last = await rig.publish_event(fine)

    [letter] = await rig.dead_letters(1)
    assert letter.headers is not None
    assert letter.headers["Union-Dead-Letter-Reason"] == (
        "failed 3 times: LedgerClosed: the 2023 ledger is closed"
    )
    assert attempts == [doomed.id] * 3
    await eventually(lambda: rig.settled(last), message="both messages acknowledged")
    assert await rig.effect_count(fine.id) == 1
    assert await rig.effect_count(doomed.id) == 0
    assert await rig.inbox_count(doomed.id) == 0  # rolled back with the failed effects
    assert (consumer.handled, consumer.dead_lettered) == (1, 1)


async def test_an_event_appended_by_a_handler_is_appended_once_under_redelivery(rig: Rig) -> None:
    calls: list[str] = []

    async def credit_ledger(conn: AsyncConnection, event: IncomingEvent) -> None:
        calls.append(event.id)
        credited = NewEvent(
            f"union.{rig.service}.ledger.credited.v1",
            {"amount": "50.00"},
            context=EventContext(causation_id=event.id),
        )
        await rig.store.append_in(conn, AppendRequest(f"ledger-{event.subject}", None, (credited,)))
        if len(calls) == 1:  # dies after appending, before the transaction commits
            raise ConnectionResetError("worker lost mid-transaction")

    await rig.start(credit_ledger, retry_delay_s=0.05)
    event = rig.event(amount="50.00")

    await rig.publish_event(event, msg_id="first-copy")
    last = await rig.publish_event(event, msg_id="second-copy")
    await eventually(lambda: rig.settled(last), message="both copies acknowledged")

    log = await rig.store.read_all()
    assert [(e.stream_id, e.context.causation_id) for e in log] == [
        (f"ledger-{event.stream_id}", event.id)
    ]
    assert await rig.inbox_count(event.id) == 1
    assert len(calls) == 2  # the failed try, then the one that committed; the copy changed nothing


async def test_a_burst_of_messages_whose_handlers_read_through_the_store_never_drains_the_pool(
    postgres_url: str, nats_url: str
) -> None:
    """FastStream runs a pulled batch at once; each handler holds its transaction's connection
    and reads state on another (as every service's `load` does). 40 at once on a pool of 4
    must all be handled, none left waiting for a connection until the pool's timeout."""
    store = EventStore(create_engine(postgres_url, pool_size=2, max_overflow=2, pool_timeout=5))
    await store.create_schema()
    async with store.engine.begin() as conn:
        await conn.run_sync(effects_metadata.create_all)
    nc = await nats.connect(nats_url)
    rig = Rig(store, nc, nats_url)

    async def read_then_record(conn: AsyncConnection, event: IncomingEvent) -> None:
        await store.read_stream(f"member-{event.id}")  # a second connection, as `load` takes
        await record_payment(conn, event)

    try:
        consumer = await rig.start(read_then_record, retry_delay_s=0.05)
        events = [rig.event(amount=f"{n}.00") for n in range(40)]
        for event in events:
            last = await rig.publish_event(event)
        await eventually(lambda: rig.settled(last), timeout=30, message="all 40 acknowledged")
        assert (consumer.handled, consumer.dead_lettered) == (40, 0)
        assert [await rig.effect_count(e.id) for e in events] == [1] * 40
    finally:
        await rig.close()
        await nc.close()
        await store.close()
