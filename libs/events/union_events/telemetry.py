"""OpenTelemetry set-up, and the W3C trace context that travels inside events.

The traceparent of the span active at append time is stored with the event, sent as the
CloudEvents `traceparent` extension and NATS header, and a consumer's span continues it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

_propagator = TraceContextTextMapPropagator()
tracer = trace.get_tracer("union_events")


def setup_telemetry(service: str, processor: SpanProcessor | None = None) -> TracerProvider:
    """Install a tracer provider for `service`.

    Exporter: `processor` if given (tests pass an in-memory one), else by the standard
    `OTEL_TRACES_EXPORTER` variable: `none` (default), `console`, or `otlp` (endpoint from
    `OTEL_EXPORTER_OTLP_ENDPOINT`).
    """
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    if processor is None:
        processor = _processor_from_env()
    if processor is not None:
        provider.add_span_processor(processor)
    trace.set_tracer_provider(provider)
    return provider


def _processor_from_env() -> SpanProcessor | None:
    exporter = os.environ.get("OTEL_TRACES_EXPORTER", "none").strip().lower()
    if exporter == "console":
        return BatchSpanProcessor(ConsoleSpanExporter())
    if exporter == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        return BatchSpanProcessor(OTLPSpanExporter())
    return None


def current_traceparent() -> str | None:
    """The W3C traceparent of the active span, if any."""
    carrier: dict[str, str] = {}
    _propagator.inject(carrier)
    return carrier.get("traceparent")


@contextmanager
def continued_span(name: str, traceparent: str | None, **attributes: str) -> Iterator[trace.Span]:
    """A consumer span whose parent is the producer's span named by `traceparent`."""
    parent = _propagator.extract({"traceparent": traceparent} if traceparent else {})
    token = otel_context.attach(parent)
    try:
        with tracer.start_as_current_span(name, kind=trace.SpanKind.CONSUMER) as span:
            for key, value in attributes.items():
                span.set_attribute(key, value)
            yield span
    finally:
        otel_context.detach(token)
