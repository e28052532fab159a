"""Traces cross process boundaries: append → relay → NATS → a consumer in another process."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import nats
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from union_events.embedded._proc import die_with_parent, tail, terminate
from union_events.events import NewEvent
from union_events.relay import Relay, StreamSpec, ensure_stream
from union_events.store import EventStore
from union_events.telemetry import setup_telemetry
from union_events.testing.waiting import eventually

CONSUMER_SCRIPT = Path(__file__).with_name("tracing_consumer.py")


@contextmanager
def consumer_process(args: list[str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """The consumer script running in its own Python process; always terminated on exit."""
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, str(CONSUMER_SCRIPT), *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent(),  # and if pytest itself dies, so does the consumer
        )
    try:
        yield proc
    finally:
        terminate(proc)


def finished_spans(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


async def test_a_span_started_before_an_append_parents_the_consumer_span_in_another_process(
    tmp_path: Path, nats_url: str
) -> None:
    exporter = InMemorySpanExporter()
    provider = setup_telemetry("tracing-producer", SimpleSpanProcessor(exporter))
    # The provider's own tracer: a provider installed earlier in this process (the global
    # one can be set only once) must not take the producer span away from this exporter.
    tracer = provider.get_tracer(__name__)
    service = f"tr{uuid.uuid4().hex[:10]}"
    stream = StreamSpec.for_service(service)
    spans_file, log = tmp_path / "consumer-spans.jsonl", tmp_path / "consumer.log"
    args = [
        nats_url,
        f"sqlite+aiosqlite:///{tmp_path / 'consumer.db'}",
        stream.name,
        stream.subjects[0],
        f"{service}-tracer",
        "tracing-consumer",
        str(spans_file),
    ]
    store = await EventStore.open(f"sqlite+aiosqlite:///{tmp_path / 'producer.db'}")
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    try:
        await ensure_stream(js, stream)
        with consumer_process(args, log) as proc:
            with tracer.start_as_current_span("file claim") as producer_span:
                await store.append("claim-1", 0, [NewEvent(f"union.{service}.claim.filed.v1", {})])
            relay = Relay(store, js, source=f"/union/{service}", stream=stream)
            assert await relay.publish_pending() == 1

            def consumer_span() -> dict[str, Any] | None:
                if proc.poll() is not None:
                    raise AssertionError(f"consumer exited {proc.returncode}:\n{tail(log)}")
                spans = finished_spans(spans_file)
                return next((s for s in spans if s["name"].startswith("consume ")), None)

            consumed = await eventually(consumer_span, timeout=30, message="consumer span")
    finally:
        await js.delete_stream(stream.name)
        await nc.close()
        await store.close()

    producer = producer_span.get_span_context()
    assert [s.name for s in exporter.get_finished_spans()] == ["file claim"]
    assert consumed["name"] == f"consume union.{service}.claim.filed.v1"
    assert consumed["kind"] == "CONSUMER"
    assert consumed["trace_id"] == f"{producer.trace_id:032x}"
    assert consumed["parent_span_id"] == f"{producer.span_id:016x}"
