"""OpenTelemetry set-up, and the W3C trace context that travels inside events.

The traceparent of the span active at append time is stored with the event, sent as the
CloudEvents `traceparent` extension and NATS header, and a consumer's span continues it.

One tracer provider per process (OpenTelemetry allows the global one to be set once): the
first `setup_telemetry` installs it, later calls reuse it. Tests that run several services in
one process add an in-memory exporter with `collecting(processor)`.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

_propagator = TraceContextTextMapPropagator()
tracer = trace.get_tracer("union_events")


class _Fanout(SpanProcessor):
    """The process's span processors; tests add and remove theirs while services run."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.processors: tuple[SpanProcessor, ...] = ()

    def add(self, processor: SpanProcessor) -> None:
        with self._lock:
            if processor not in self.processors:
                self.processors += (processor,)

    def remove(self, processor: SpanProcessor) -> None:
        with self._lock:
            self.processors = tuple(p for p in self.processors if p is not processor)

    def on_start(self, span: Span, parent_context: otel_context.Context | None = None) -> None:
        for processor in self.processors:
            processor.on_start(span, parent_context=parent_context)

    def on_end(self, span: ReadableSpan) -> None:
        for processor in self.processors:
            processor.on_end(span)

    def shutdown(self) -> None:
        for processor in self.processors:
            processor.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return all(p.force_flush(timeout_millis) for p in self.processors)


_fanout = _Fanout()
_installed: list[TracerProvider] = []
_setup_lock = threading.Lock()


def setup_telemetry(service: str, processor: SpanProcessor | None = None) -> TracerProvider:
    """Install the process's tracer provider (once; later calls reuse it).

    Exporter: `processor` if given (tests pass an in-memory one), else by the standard
    `OTEL_TRACES_EXPORTER` variable: `none` (default), `console`, or `otlp` (endpoint from
    `OTEL_EXPORTER_OTLP_ENDPOINT` / `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`).
    """
    with _setup_lock:
        if not _installed:
            provider = TracerProvider(resource=Resource.create({"service.name": service}))
            provider.add_span_processor(_fanout)
            from_env = _processor_from_env()
            if from_env is not None:
                _fanout.add(from_env)
            trace.set_tracer_provider(provider)
            _installed.append(provider)
    if processor is not None:
        _fanout.add(processor)
    return _installed[0]


@contextmanager
def collecting(processor: SpanProcessor) -> Iterator[TracerProvider]:
    """Send every span finished in this process to `processor` while the block runs."""
    provider = setup_telemetry("union", processor)
    try:
        yield provider
    finally:
        _fanout.remove(processor)


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


def current_ids() -> tuple[str | None, str | None]:
    """(trace id, span id) of the active span as hex, for logs; (None, None) outside one."""
    context = trace.get_current_span().get_span_context()
    if not context.is_valid:
        return None, None
    return f"{context.trace_id:032x}", f"{context.span_id:016x}"


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


def joined_trace(origin: str | None, name: str) -> str | None:
    """Continue the trace an aggregate began in (`origin`, its first event's traceparent).

    A later command on the aggregate (a claim's payment) runs in a request of its own, so in a
    trace of its own. This records a span `name` in the origin trace, linked both ways with
    the active (request) span, and returns its traceparent: stamp it on the new events and
    what they cause downstream (relay, NATS, other services' consumers) joins the
    aggregate's trace, while the request's trace points to it. None when there is nothing to
    join (no origin, or the request already runs in that trace).
    """
    parent = _propagator.extract({"traceparent": origin} if origin else {})
    origin_context = trace.get_current_span(parent).get_span_context()
    active = trace.get_current_span().get_span_context()
    if not origin_context.is_valid or origin_context.trace_id == active.trace_id:
        return None
    links = [trace.Link(active)] if active.is_valid else []
    span = tracer.start_span(name, context=parent, links=links)
    carrier: dict[str, str] = {}
    _propagator.inject(carrier, context=trace.set_span_in_context(span))
    with contextlib.suppress(Exception):  # a span that cannot take links still works
        trace.get_current_span().add_link(span.get_span_context())
    span.end()
    return carrier.get("traceparent")
