"""Two service runtimes, each with its own database, meet only over NATS JetStream.

A producing runtime relays its log; a listening service built with the same app factory
consumes `PRODUCER` with a durable consumer and projects what it hears into its own table,
once per event, even when the relay re-sends everything.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import Column, MetaData, String, Table, func, select
from union_events.consumer import ConsumerSpec
from union_events.db import write_transaction
from union_events.events import EventContext, NewEvent
from union_events.service import ServiceDefinition, start_runtime, stop_runtime
from union_events.settings import ServiceSettings
from union_events.store import set_checkpoint
from union_events.testing.waiting import eventually

heard = MetaData()
members_seen = Table(
    "members_seen",
    heard,
    Column("member_id", String(64), primary_key=True),
    Column("org_path", String(200), nullable=False),
)


def listener() -> ServiceDefinition:
    async def on_member_event(conn, event) -> None:
        await conn.execute(
            members_seen.insert().values(member_id=event.subject, org_path=event.context.org_path)
        )

    return ServiceDefinition(
        name="listener",
        metadata=heard,
        consumers=[
            ConsumerSpec("listener-producer", "PRODUCER", "union.producer.>", on_member_event)
        ],
    )


async def count_seen(runtime) -> int:
    async with runtime.store.engine.connect() as conn:
        return int(await conn.scalar(select(func.count()).select_from(members_seen)))


async def test_a_member_event_reaches_another_service_through_nats_only_and_once(
    nats_url, tmp_path, postgres_url
):
    members = await start_runtime(
        ServiceDefinition(name="producer"),
        ServiceSettings(
            nats_url=nats_url, union_data_dir=tmp_path / "members", duplicate_window_s=0.2
        ),
    )
    other = await start_runtime(
        listener(),
        ServiceSettings(nats_url=nats_url, database_url=postgres_url),
    )
    try:
        context = EventContext(org_path="zhoushan/dinghai/u1")
        for n in range(5):
            event = NewEvent("union.producer.member.registered.v1", {"n": n}, context=context)
            await members.store.append(f"member-{n}", 0, [event])
        await eventually(lambda: _equals(count_seen(other), 5), timeout=20)

        # A relay that lost its checkpoint re-sends everything after JetStream's duplicate
        # window (shortened here) has passed, so the re-sends reach the consumer: its inbox
        # must turn every one away.
        await asyncio.sleep(0.3)  # let the 0.2 s window lapse; not a wait for an event
        async with write_transaction(members.store.engine) as conn:
            await set_checkpoint(conn, "relay", 0)
        await members.relay.publish_pending()
        consumer = other.consumers[0]
        await eventually(lambda: consumer.duplicates == 5, timeout=20)
        assert consumer.handled == 5
        assert await count_seen(other) == 5
        async with other.store.engine.connect() as conn:
            orgs = set((await conn.execute(select(members_seen.c.org_path))).scalars())
        assert orgs == {"zhoushan/dinghai/u1"}
    finally:
        await stop_runtime(other)
        await stop_runtime(members)


async def _equals(awaitable, expected) -> bool:
    return await awaitable == expected
