"""The wire format: what the relay puts on NATS is CloudEvents 1.0 any SDK can read."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal

import nats
import pytest
from cloudevents.core.formats.json import JSONFormat
from union_events.events import EventContext, NewEvent
from union_events.relay import Relay, StreamSpec, ensure_stream
from union_events.store import EventStore
from union_events.wire import WireFormatError, decode, encode, encode_row

PAID_AT = datetime(2024, 5, 1, 8, 30, 15, 123456, tzinfo=UTC)
TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
CONTEXT = EventContext(
    correlation_id="corr-claim-42",
    causation_id="cmd-pay-42",
    org_path="zhoushan/dinghai",
    traceparent=TRACEPARENT,
    actor="account-7f3a",  # the signed-in staff account that paid
)


@pytest.fixture
async def store(sqlite_url: str) -> AsyncIterator[EventStore]:
    store = await EventStore.open(sqlite_url)
    try:
        yield store
    finally:
        await store.close()


def claim_paid(service: str) -> NewEvent:
    data = {"amount": Decimal("3011.00"), "hospital": "舟山医院", "paying_district": "dinghai"}
    return NewEvent(f"union.{service}.claim.paid.v1", data, occurred_at=PAID_AT, context=CONTEXT)


async def test_a_relayed_event_reads_with_the_cloudevents_sdk(
    store: EventStore, nats_url: str
) -> None:
    service = f"w{uuid.uuid4().hex[:10]}"
    spec = StreamSpec.for_service(service)
    event = claim_paid(service)
    await store.append("claim-42", 0, [event])
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    try:
        await ensure_stream(js, spec)
        relay = Relay(store, js, source=f"/union/{service}", stream=spec)
        assert await relay.publish_pending() == 1
        sub = await js.subscribe(f"union.{service}.>", stream=spec.name)
        msg = await sub.next_msg(timeout=10)
        await sub.unsubscribe()
    finally:
        await js.delete_stream(spec.name)
        await nc.close()

    assert msg.headers is not None
    assert msg.headers["Nats-Msg-Id"] == event.id
    assert msg.headers["content-type"] == "application/cloudevents+json"
    assert msg.headers["traceparent"] == TRACEPARENT
    ce = JSONFormat().read(None, msg.data)
    assert ce.get_specversion() == "1.0"
    assert ce.get_id() == event.id
    assert ce.get_source() == f"/union/{service}"
    assert ce.get_type() == f"union.{service}.claim.paid.v1"
    assert ce.get_subject() == "claim-42"
    assert ce.get_time() == PAID_AT
    assert ce.get_datacontenttype() == "application/json"
    assert ce.get_data() == {
        "amount": "3011.00",
        "hospital": "舟山医院",
        "paying_district": "dinghai",
    }
    assert ce.get_extension("correlationid") == "corr-claim-42"
    assert ce.get_extension("causationid") == "cmd-pay-42"
    assert ce.get_extension("orgpath") == "zhoushan/dinghai"
    assert ce.get_extension("traceparent") == TRACEPARENT
    assert ce.get_extension("actor") == "account-7f3a"


async def test_a_row_from_the_log_and_the_recorded_event_encode_to_the_same_message(
    store: EventStore,
) -> None:
    await store.append("claim-7", 0, [claim_paid("claims")])
    [row] = await store.read_log()
    [recorded] = await store.read_all()

    subject, headers, body = encode_row(row, "/union/claims")
    expected_subject, expected_headers, expected_body = encode(recorded, "/union/claims")

    assert (subject, headers) == (expected_subject, expected_headers)
    assert json.loads(body) == json.loads(expected_body)


async def test_decode_reads_back_what_encode_wrote(store: EventStore) -> None:
    await store.append("claim-9", 0, [claim_paid("claims")])
    [recorded] = await store.read_all()

    incoming = decode(encode(recorded, "/union/claims")[2])

    assert (incoming.id, incoming.source, incoming.type, incoming.subject) == (
        recorded.id,
        "/union/claims",
        "union.claims.claim.paid.v1",
        "claim-9",
    )
    assert incoming.time == PAID_AT
    assert incoming.data == {
        "amount": "3011.00",
        "hospital": "舟山医院",
        "paying_district": "dinghai",
    }
    assert incoming.context == CONTEXT


def cloudevent(**overrides: object) -> bytes:
    attributes: dict[str, object] = {
        "specversion": "1.0",
        "id": "e-1",
        "source": "/union/claims",
        "type": "union.claims.claim.paid.v1",
        "data": {"amount": "1.00"},
    }
    attributes.update(overrides)
    return json.dumps({k: v for k, v in attributes.items() if v is not None}).encode()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "body is not JSON"),
        (b"\xff\xfe\x00", "body is not JSON"),
        (b"[1, 2, 3]", "body is not a JSON object"),
        (cloudevent(id=None, source=None), "missing CloudEvents attributes: id, source"),
        (cloudevent(type=""), "missing CloudEvents attributes: type"),
        (cloudevent(specversion=None), "missing CloudEvents attributes: specversion"),
        (cloudevent(specversion="0.3"), "unsupported specversion '0.3'"),
        (cloudevent(data=["not", "an", "object"]), "data is not a JSON object"),
        (cloudevent(time="yesterday"), "bad time 'yesterday'"),
        (cloudevent(data=None, data_base64="AAEC"), "binary data (data_base64)"),
    ],
    ids=[
        "not-json", "not-utf8", "json-array", "no-id-no-source", "empty-type",
        "no-specversion", "wrong-specversion", "data-not-object", "bad-time", "binary-data",
    ],
)  # fmt: skip
def test_decode_rejects_what_is_not_a_platform_cloudevent(body: bytes, message: str) -> None:
    with pytest.raises(WireFormatError, match=re.escape(message)):
        decode(body)


def test_decode_rejects_json_nested_too_deep_to_parse_as_a_wire_format_error() -> None:
    # A consumer dead-letters WireFormatError at once; anything else escapes its handler
    # and the message is redelivered for ever instead of reaching the dead-letter subject.
    with pytest.raises(WireFormatError):
        decode(b"[" * 100_000)


async def test_an_event_no_person_caused_is_attributed_to_the_service_on_the_wire(
    store: EventStore,
) -> None:
    consumer_made = NewEvent("union.claims.claim.assessed.v1", {"benefit": "1.00"})
    await store.append("claim-11", 0, [consumer_made])
    [row] = await store.read_log()
    [recorded] = await store.read_all()

    for _, _, body in (encode(recorded, "/union/claims"), encode_row(row, "/union/claims")):
        assert json.loads(body)["actor"] == "service:claims"
        assert decode(body).context.actor == "service:claims"
