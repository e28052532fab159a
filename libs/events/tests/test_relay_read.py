"""The relay's read of the log and its frames: the same rows and the same messages as the
general path, and no header value that can end its line."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from nats import errors
from union_events.events import EventContext, NewEvent
from union_events.publishing import header_lines
from union_events.reading import _LOG, LogRow
from union_events.store import EventStore
from union_events.wire import RowEncoder, encode_row

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


async def test_the_relays_read_of_the_log_is_the_rows_the_query_gives(database_url):
    store = await EventStore.open(database_url)
    try:
        context = EventContext(correlation_id="corr-1", traceparent=TRACEPARENT, actor="a-7")
        paid = NewEvent("union.t.paid.v1", {"医院": "舟山"}, context=context)
        await store.append("claim-1", 0, [paid])
        await store.append("claim-2", 0, [NewEvent("union.t.filed.v1", {"n": n}) for n in range(5)])
        read = await store.read_log(1, limit=4)

        def by_query(conn, after, limit):
            return [LogRow(*row) for row in conn.execute(_LOG, {"after": after, "limit": limit})]

        async with store.engine.connect() as conn:
            queried = await conn.run_sync(by_query, 1, 4)
        assert [r.position for r in read] == [2, 3, 4, 5]
        assert read == queried
        first = (await store.read_log(0, limit=1))[0]
        assert '"医院":"舟山"' in first.data_json and "corr-1" in first.context_json
    finally:
        await store.close()


def row(**changes: object) -> LogRow:
    base = LogRow(
        position=7,
        event_id="e-7",
        stream_id="claim-7",
        type="union.claims.claim.paid.v1",
        data_json='{"amount":"1.00"}',
        context_json="{}",
        occurred_at=datetime(2024, 5, 1, 8, 30, 15, 123456),
    )
    return base._replace(**changes)


def test_a_frame_is_the_message_encode_row_describes_and_its_values_cannot_end_a_line():
    encoder = RowEncoder("/union/claims", "log-1")
    for logged in (
        row(),
        row(occurred_at=datetime(2024, 5, 1, 8, 30, tzinfo=UTC)),
        row(context_json=f'{{"traceparent":"{TRACEPARENT}","actor":"account-7"}}'),
    ):
        subject, lines, body = encoder.frame(logged)
        assert lines == header_lines(encode_row(logged, "/union/claims", "log-1")[1])
        assert (subject, body) == (encode_row(logged, "/union/claims", "log-1")[0::2])
        assert lines.startswith("Nats-Msg-Id: e-7\r\n") and "Union-Log-Id: log-1\r\n" in lines
    assert b'"time":"2024-05-01T08:30:00Z"' in encoder.frame(row(occurred_at=datetime(
        2024, 5, 1, 8, 30, tzinfo=UTC)))[2]  # fmt: skip

    _, lines, _ = encoder.frame(row(event_id="e-8\r\nPUB evil 1\r\nx"))
    assert lines.count("\r\n") == 4  # four header lines, the id's CR/LF made spaces
    assert lines.startswith("Nats-Msg-Id: e-8  PUB evil 1  x\r\n")
    with pytest.raises(errors.BadHeaderError):
        header_lines({"Bad Name": "x"})
