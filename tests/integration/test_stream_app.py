"""The FastStream flavour of a service: consumers and relay without HTTP, and AsyncAPI docs."""

from __future__ import annotations

import json

import nats
from sqlalchemy import Column, MetaData, String, Table, select
from union_events.apps import create_stream_app
from union_events.consumer import ConsumerSpec
from union_events.contracts import EventPayload
from union_events.events import EventContext, NewEvent
from union_events.relay import Relay, StreamSpec, ensure_stream
from union_events.service import ServiceDefinition
from union_events.settings import ServiceSettings
from union_events.store import EventStore
from union_events.testing.waiting import eventually

tables = MetaData()
enrolled = Table("enrolled", tables, Column("member_id", String(64), primary_key=True))


class ClaimPaid(EventPayload):
    """A claim was paid at a service point."""

    event_name = "union.streamtest.claim.paid"
    claim_id: str
    benefit: str


async def record_enrolment(conn, event) -> None:
    """Keep the members enrolled in a plan year."""
    await conn.execute(enrolled.insert().values(member_id=event.subject))


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="streamtest",
        title="Stream test",
        metadata=tables,
        consumers=[ConsumerSpec("streamtest-src", "SRCTEST", "union.srctest.>", record_enrolment)],
        publishes=[ClaimPaid],
    )


def asyncapi(app) -> dict:
    return json.loads(app.schema.to_specification().to_json())


def test_the_asyncapi_document_lists_what_the_service_consumes_and_publishes():
    app = create_stream_app(definition(), ServiceSettings(nats_url="nats://127.0.0.1:1"))
    document = json.dumps(asyncapi(app))
    assert "union.srctest.>" in document
    assert "union.streamtest.claim.paid.v1" in document
    assert "benefit" in document and "claim_id" in document
    assert "Keep the members enrolled in a plan year." in document


async def test_the_stream_app_consumes_over_nats_without_http(nats_url, tmp_path):
    settings = ServiceSettings(nats_url=nats_url, union_data_dir=tmp_path)
    app = create_stream_app(definition(), settings)
    producer = await EventStore.open(f"sqlite:///{tmp_path / 'producer.db'}")
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    try:
        async with app:
            context = EventContext(org_path="zhoushan/putuo")
            await producer.append(
                "member-7", 0, [NewEvent("union.srctest.member.enrolled.v1", {}, context=context)]
            )
            spec = StreamSpec("SRCTEST", ("union.srctest.>",))
            await ensure_stream(js, spec)
            await Relay(producer, js, source="/union/srctest", stream=spec).publish_pending()
            runtime_db = f"sqlite:///{tmp_path / 'streamtest.db'}"
            reader = await EventStore.open(runtime_db)
            try:

                async def seen() -> list[str]:
                    async with reader.engine.connect() as conn:
                        return list((await conn.execute(select(enrolled.c.member_id))).scalars())

                assert await eventually(seen, timeout=15) == ["member-7"]
            finally:
                await reader.close()
    finally:
        await nc.close()
        await producer.close()


async def test_readiness_reports_each_consumers_lag(nats_url, tmp_path):
    from union_events.testing.http import service_client

    settings = ServiceSettings(nats_url=nats_url, union_data_dir=tmp_path)
    async with service_client(definition(), settings) as client:
        ready = (await client.get("/readyz")).json()
    assert ready["checks"]["consumer_lag"] == {"streamtest-src": 0}
