"""`/metrics`: Prometheus text format per service, with figures that move as it works."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from nats.aio.client import Client as NatsClient
from sqlalchemy.ext.asyncio import AsyncConnection
from union_events.consumer import ConsumerSpec
from union_events.events import NewEvent
from union_events.metrics import parse
from union_events.service import ServiceDefinition
from union_events.settings import ServiceSettings
from union_events.testing.http import service_client
from union_events.testing.waiting import eventually
from union_events.wire import IncomingEvent


def service(name: str, source: str) -> ServiceDefinition:
    router = APIRouter()

    @router.post("/things/{thing_id}")
    async def add_thing(thing_id: str, request: Request) -> dict[str, str]:
        store = request.app.state.runtime.store
        await store.append(f"thing-{thing_id}", 0, [NewEvent(f"union.{name}.thing.added.v1", {})])
        return {"thing_id": thing_id}

    async def poison(conn: AsyncConnection, event: IncomingEvent) -> None:
        raise ValueError("cannot handle this")

    consumer = ConsumerSpec(
        f"{name}-{source}", source.upper(), f"union.{source}.>", poison, max_deliveries=1
    )
    return ServiceDefinition(name=name, routers=[router], consumers=[consumer])


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in parse(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def value(text: str, name: str, **labels: str) -> float:
    return samples(text).get((name, tuple(sorted(labels.items()))), 0.0)


async def test_metrics_count_requests_appends_lag_and_dead_letters(
    tmp_path: Path, nats_url: str
) -> None:
    name, source = f"m{uuid.uuid4().hex[:8]}", f"s{uuid.uuid4().hex[:8]}"
    settings = ServiceSettings(nats_url=nats_url, union_data_dir=tmp_path)
    async with service_client(service(name, source), settings) as client:
        before = (await client.get("/metrics")).text
        assert value(before, "union_events_appended_total") == 0
        assert value(before, "union_consumer_dead_lettered_total", consumer=f"{name}-{source}") == 0

        for thing in ("a", "b", "c"):
            assert (await client.post(f"/things/{thing}")).status_code == 200
        assert (await client.post("/things/a")).status_code == 409  # stream exists already

        runtime: Any = client._transport.app.state.runtime  # type: ignore[attr-defined]
        nc: NatsClient = runtime.nc
        await nc.jetstream().publish(f"union.{source}.x.v1", b"not a cloudevent")

        async def settled() -> str | None:
            text = (await client.get("/metrics")).text
            consumer = f"{name}-{source}"
            dead = value(text, "union_consumer_dead_lettered_total", consumer=consumer)
            relayed = value(text, "union_relay_lag_events") == 0
            lag = value(
                text, "union_consumer_lag_messages", consumer=consumer, stream=source.upper()
            )
            return text if dead == 1 and relayed and lag == 0 else None

        after = await eventually(settled, timeout=10)

    route = "/things/{thing_id}"
    assert value(after, "union_http_requests_total", method="POST", route=route, status="200") == 3
    assert value(after, "union_http_requests_total", method="POST", route=route, status="409") == 1
    count = value(after, "union_http_request_duration_seconds_count", method="POST", route=route)
    assert count == 4
    assert value(after, "union_events_appended_total") == 3
    routes = {dict(labels).get("route") for name, labels in samples(after)}
    assert "/metrics" not in routes  # scrapes and probes are not counted
    assert "# TYPE union_http_requests_total counter" in after
