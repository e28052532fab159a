"""Structured logs: one JSON object a line, with the trace id and the correlation id."""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import APIRouter
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from union_events.consumer import ConsumerSpec, InboxConsumer, Outcome
from union_events.events import EventContext, RecordedEvent
from union_events.logs import JsonFormatter, bound, configure_logging
from union_events.service import ServiceDefinition
from union_events.settings import ServiceSettings
from union_events.store import EventStore
from union_events.telemetry import collecting
from union_events.testing.http import service_client
from union_events.wire import encode


@pytest.fixture
def json_lines() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter("fallback"))
    logger = logging.getLogger(f"test.logs.{uuid.uuid4().hex}")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield logger, out
    finally:
        logger.removeHandler(handler)


def lines(out: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_a_line_carries_the_span_and_the_bound_correlation_id(json_lines) -> None:
    logger, out = json_lines
    exporter = InMemorySpanExporter()
    with collecting(SimpleSpanProcessor(exporter)) as provider:
        tracer = provider.get_tracer(__name__)
        with tracer.start_as_current_span("work"), bound(correlation="corr-1", service="claims"):
            logger.warning("paid %s", "周海的理赔")
    logger.info("outside")
    (span,) = exporter.get_finished_spans()
    inside, outside = lines(out)
    assert inside["message"] == "paid 周海的理赔"
    assert (inside["level"], inside["logger"]) == ("WARNING", logger.name)
    assert inside["trace_id"] == f"{span.context.trace_id:032x}"
    assert inside["span_id"] == f"{span.context.span_id:016x}"
    assert (inside["correlation_id"], inside["service"]) == ("corr-1", "claims")
    assert inside["time"].endswith("+00:00")
    assert (outside["trace_id"], outside["correlation_id"]) == (None, None)
    assert outside["service"] == "fallback"


def test_an_exception_is_one_field_of_one_line(json_lines) -> None:
    logger, out = json_lines
    try:
        raise ValueError("boom")
    except ValueError:
        logger.exception("failed")
    (line,) = lines(out)
    assert "ValueError: boom" in line["exception"]


def test_json_format_replaces_the_plain_handler_once() -> None:
    root = logging.getLogger()
    saved, level = list(root.handlers), root.level
    try:
        root.addHandler(logging.StreamHandler())
        configure_logging("DEBUG", "json", "claims")
        configure_logging("DEBUG", "json", "claims")
        mine = [h for h in root.handlers if isinstance(h.formatter, JsonFormatter)]
        assert len(mine) == 1
        assert not [h for h in root.handlers if type(h) is logging.StreamHandler and h not in mine]
    finally:
        root.handlers[:] = saved
        root.setLevel(level)


async def test_a_request_logs_with_its_trace_and_correlation_id(
    tmp_path: Path, nats_url: str, json_lines
) -> None:
    logger, out = json_lines
    router = APIRouter()

    @router.get("/hello")
    async def hello() -> dict[str, str]:
        logger.info("hello")
        return {"ok": "yes"}

    name = f"l{uuid.uuid4().hex[:8]}"
    settings = ServiceSettings(nats_url=nats_url, union_data_dir=tmp_path)
    exporter = InMemorySpanExporter()
    with collecting(SimpleSpanProcessor(exporter)):
        async with service_client(ServiceDefinition(name=name, routers=[router]), settings) as c:
            given = await c.get("/hello", headers={"X-Correlation-Id": "from-the-caller"})
            fresh = await c.get("/hello")
    assert given.headers["x-correlation-id"] == "from-the-caller"
    first, second = lines(out)
    assert (first["correlation_id"], first["service"]) == ("from-the-caller", name)
    assert second["correlation_id"] == fresh.headers["x-correlation-id"] != "from-the-caller"
    servers = [s for s in exporter.get_finished_spans() if s.kind is SpanKind.SERVER]
    assert [f"{s.context.trace_id:032x}" for s in servers] == [
        first["trace_id"],
        second["trace_id"],
    ]


class FakeMsg:
    """What the consumer reads of a NATS message (no JetStream metadata)."""

    def __init__(self, data: bytes) -> None:
        self.data, self.subject, self.acked = data, "union.p.thing.done.v1", False

    async def ack(self) -> None:
        self.acked = True


async def test_a_consumer_logs_with_the_events_correlation_id(tmp_path: Path, json_lines) -> None:
    logger, out = json_lines

    async def handler(conn: Any, event: Any) -> None:
        logger.info("handling %s", event.type)

    store = await EventStore.open(f"sqlite+aiosqlite:///{tmp_path / 'c.db'}")
    try:
        context = EventContext(correlation_id="corr-from-http")
        recorded = RecordedEvent(
            1, "s-1", 1, str(uuid.uuid4()), "union.p.thing.done.v1", {}, datetime.now(UTC), context
        )
        _, _, body = encode(recorded, "/union/p")
        spec = ConsumerSpec("c-p", "P", "union.p.>", handler)
        consumer = InboxConsumer(spec, store.engine, None, "relief")  # type: ignore[arg-type]
        msg = FakeMsg(body)
        assert await consumer.handle(msg) is Outcome.HANDLED  # type: ignore[arg-type]
    finally:
        await store.close()
    (line,) = lines(out)
    assert (line["correlation_id"], line["service"]) == ("corr-from-http", "relief")
    assert line["trace_id"] is not None and msg.acked
