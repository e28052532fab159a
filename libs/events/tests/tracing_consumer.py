"""A consumer in a process of its own (for test_tracing.py); its finished spans go to a file.

usage: python tracing_consumer.py NATS_URL DATABASE_URL STREAM SUBJECT DURABLE SERVICE SPANS_FILE

Each finished span is one JSON line: name, kind, trace_id, span_id, parent_span_id (hex).
Runs until SIGTERM or SIGINT, then stops the broker and closes NATS and the store.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
from collections.abc import Sequence
from pathlib import Path

import nats
from faststream.nats import NatsBroker
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExporter, SpanExportResult
from sqlalchemy.ext.asyncio import AsyncConnection
from union_events.consumer import ConsumerSpec, InboxConsumer
from union_events.service import subscribe
from union_events.store import EventStore
from union_events.telemetry import setup_telemetry
from union_events.wire import IncomingEvent


class JsonLinesExporter(SpanExporter):
    def __init__(self, path: Path) -> None:
        self.path = path

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        with self.path.open("a") as out:
            for span in spans:
                context, parent = span.get_span_context(), span.parent
                line = {
                    "name": span.name,
                    "kind": span.kind.name,
                    "trace_id": f"{context.trace_id:032x}" if context else None,
                    "span_id": f"{context.span_id:016x}" if context else None,
                    "parent_span_id": f"{parent.span_id:016x}" if parent else None,
                }
                out.write(json.dumps(line) + "\n")
        return SpanExportResult.SUCCESS


async def acknowledge(conn: AsyncConnection, event: IncomingEvent) -> None:
    """Nothing to do: the span around the handling is what the test looks at."""


async def main(args: argparse.Namespace) -> None:
    setup_telemetry(args.service, SimpleSpanProcessor(JsonLinesExporter(Path(args.spans_file))))
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    store = await EventStore.open(args.database_url)
    nc = await nats.connect(args.nats_url)
    spec = ConsumerSpec(args.durable, args.stream, args.subject, acknowledge)
    broker = NatsBroker(args.nats_url)
    subscribe(broker, InboxConsumer(spec, store.engine, nc.jetstream(), args.service))
    try:
        await broker.start()
        await stop.wait()
    finally:
        await broker.stop()
        await nc.close()
        await store.close()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    for name in ("nats_url", "database_url", "stream", "subject", "durable", "service"):
        parser.add_argument(name)
    parser.add_argument("spans_file")
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
