"""A log behind its stream is noticed, and after an accepted loss new events are numbered above
what the stream holds (on SQLite and PostgreSQL)."""

from __future__ import annotations

import nats
from sqlalchemy import delete
from union_events.db import write_transaction
from union_events.events import NewEvent
from union_events.log_guard import accept_losses, check_log, pending_losses, stream_tail
from union_events.relay import Relay, StreamSpec, ensure_stream
from union_events.schema import events
from union_events.store import EventStore


def made(n: int) -> list[NewEvent]:
    return [NewEvent("union.guardtest.thing.happened.v1", {"n": i}) for i in range(n)]


async def test_a_log_that_lost_its_tail_is_noticed_and_an_accepted_loss_numbers_above_it(
    database_url, nats_url
):
    store = await EventStore.open(database_url)
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    spec = StreamSpec("GUARDTEST", ("union.guardtest.>",))
    await ensure_stream(js, spec)
    relay = Relay(store, js, source="/union/guardtest", stream=spec)
    try:
        assert await check_log(store, js, spec.name) is None  # an empty stream: nothing to say
        await store.append("thing-1", 0, made(5))
        assert await relay.publish_pending() == 5
        assert await check_log(store, js, spec.name) is None  # the stream's tail is logged
        async with write_transaction(store.engine) as conn:  # as a restored older copy would
            await conn.execute(delete(events).where(events.c.position > 2))

        reason = await check_log(store, js, spec.name)
        assert reason is not None
        assert "the log ends at position 2, the stream holds events up to position 5" in reason
        (loss,) = await pending_losses(store)
        assert (loss.log_head, loss.stream_position) == (2, 5)
        assert await check_log(store, js, spec.name) == reason  # still noticed, recorded once
        assert len(await pending_losses(store)) == 1

        (accepted,) = await accept_losses(store, "ops@zhoushan", "restored an old copy")
        assert accepted.lost == "positions 3..5 (3 events)"
        assert await pending_losses(store) == []
        assert await check_log(store, js, spec.name) is None
        result = await store.append("thing-2", 0, made(1))
        assert result.position == 6
        assert await relay.publish_pending() == 1
        tail = await stream_tail(js, spec.name)
        assert tail is not None and tail.position == 6  # above the stream's 5, never 3
        assert await check_log(store, js, spec.name) is None
    finally:
        await js.delete_stream(spec.name)
        await nc.close()
        await store.close()
