"""The one ASGI layer in front of every service's routes: trace, metrics, correlation id and
body limit in a single pass over the request.

It replaces four stacked layers (OpenTelemetry's ASGI instrumentation, `MetricsMiddleware`,
`CorrelationMiddleware`, `BodyLimitMiddleware`), each of which wrapped `receive` and `send`
and walked the headers again; OpenTelemetry's also matched the path against every route of
the app to name its span before the router matched it once more. Here the headers are read
once, `send` is wrapped once, `receive` only for a body that declares no length, and the
span is named from the route the router found. What each did, it still does:

- **trace**: a SERVER span per request (`POST /claims/{claim_id}/payment`, as named by the
  route template; the method alone when no route matched), continuing the caller's
  `traceparent` (the process's propagator); INTERNAL under an already active span, as
  OpenTelemetry's instrumentation did. Health, readiness and metrics get none.
- **metrics**: `union_http_requests` and `union_http_request_duration_seconds` by method,
  route template and status (`metrics.ServiceMetrics`); health, readiness and metrics are not
  counted; a request that raises counts as 500.
- **correlation**: the caller's `X-Correlation-Id`, else a new one, put on the request's
  headers (routes record it on their events), bound for its log lines and echoed on the
  answer (`logs.correlation_id`).
- **body limit**: a declared `Content-Length` over the route's limit is answered at once
  with `refusal`, the body unread; a body without one is counted as the app reads it
  (`body_limit.BodyTooLarge`): `body_limit.run_limited`, which the console's `BodyLimitMiddleware`
  runs too.

It sits inside Starlette's `ServerErrorMiddleware`, where the three user middlewares sat: an
unhandled exception passes through it (recorded on the span, counted as 500) to the app's
500 handler.
"""

from __future__ import annotations

import time
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .body_limit import BodyLimits, Refusal, limit_for, run_limited
from .logs import CORRELATION_HEADER, correlation_id, service_name
from .metrics import NOT_COUNTED, ServiceMetrics
from .uuids import random_uuid

tracer = trace.get_tracer("union_events.http")

# The headers a propagator may read (W3C trace context and baggage; B3 and Jaeger when
# OTEL_PROPAGATORS names them): only these are handed to it.
_TRACE_HEADERS = frozenset(
    {b"traceparent", b"tracestate", b"baggage", b"b3", b"x-b3-traceid", b"x-b3-spanid",
     b"x-b3-sampled", b"x-b3-flags", b"x-b3-parentspanid", b"uber-trace-id"}
)  # fmt: skip


class ServiceEdge:
    """Given no `limits`, it reads the app's `state.body_limits` (set by its lifespan from
    settings), else the default."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        service: str,
        metrics: ServiceMetrics,
        refusal: Refusal,
        limits: BodyLimits | None = None,
    ) -> None:
        self.app = app
        self.service = service
        self.metrics = metrics
        self.refusal = refusal
        self.limits = limits
        self._instruments: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = scope["headers"]
        given: bytes | None = None
        declared: int | None = None
        chunked = False
        carrier: dict[str, str] | None = None
        for name, value in headers:  # one pass over the request's headers
            if name == CORRELATION_HEADER:
                if given is None:
                    given = value
            elif name == b"content-length":
                if declared is None:
                    try:
                        declared = int(value)
                    except ValueError:
                        declared = -1  # the server refuses a malformed one before we see it
            elif name == b"transfer-encoding":
                chunked = True
            elif name in _TRACE_HEADERS:
                if carrier is None:
                    carrier = {}
                carrier.setdefault(name.decode("latin-1"), value.decode("latin-1"))
        if given:
            correlation = given.decode("latin-1")
            header = given
        else:
            correlation = random_uuid()
            header = correlation.encode()
            kept = [(k, v) for k, v in headers if k != CORRELATION_HEADER]
            scope = {**scope, "headers": [*kept, (CORRELATION_HEADER, header)]}

        observed = scope["path"] not in NOT_COUNTED
        method: str = scope.get("method", "")
        span: Any = None
        span_token = None
        if observed:
            span = _start_span(scope, method, carrier)
            span_token = otel_context.attach(trace.set_span_in_context(span))
        correlation_token = correlation_id.set(correlation)
        service_token = service_name.set(self.service)
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message["headers"] = [*message.get("headers", ()), (CORRELATION_HEADER, header)]
            await send(message)

        limit = limit_for(scope, self.limits)
        failure: BaseException | None = None
        try:
            count = declared is None or chunked  # no length to trust: count what is read
            await run_limited(
                self.app, self.refusal, scope, receive, sending, limit, declared, count
            )
        except BaseException as exc:
            failure = exc
            raise
        finally:
            service_name.reset(service_token)
            correlation_id.reset(correlation_token)
            if observed:
                route = getattr(scope.get("route"), "path", None)
                self._count(method, route or "<unmatched>", status, started)
                _end_span(span, method, route, status, failure)
                otel_context.detach(span_token)

    def _count(self, method: str, route: str, status: int, started: float) -> None:
        key = (method, route, status)
        instruments = self._instruments.get(key)
        if instruments is None:  # prometheus_client's labels() locks and checks each time
            instruments = self._instruments[key] = (
                self.metrics.latency.labels(method, route),
                self.metrics.requests.labels(method, route, str(status)),
            )
        latency, requests = instruments
        latency.observe(time.perf_counter() - started)
        requests.inc()


def _start_span(scope: Scope, method: str, carrier: dict[str, str] | None) -> Any:
    """The request's span: SERVER, continuing the caller's trace context; INTERNAL under a
    span already active (a request made in-process from inside one)."""
    if trace.get_current_span() is trace.INVALID_SPAN:
        parent = propagate.extract(carrier) if carrier else None
        kind = SpanKind.SERVER
    else:
        parent, kind = None, SpanKind.INTERNAL
    attributes: dict[str, Any] = {
        "http.method": method,
        "http.scheme": scope.get("scheme", "http"),
        "http.target": scope["path"],
        "http.flavor": scope.get("http_version", "1.1"),
    }
    server = scope.get("server")
    if server:
        attributes["net.host.name"], attributes["net.host.port"] = server[0], server[1] or 0
    client = scope.get("client")
    if client:
        attributes["net.peer.ip"], attributes["net.peer.port"] = client[0], client[1] or 0
    return tracer.start_span(method, context=parent, kind=kind, attributes=attributes)


def _end_span(
    span: Any, method: str, route: str | None, status: int, failure: BaseException | None
) -> None:
    if span.is_recording():
        if route:
            span.update_name(f"{method} {route}")
            span.set_attribute("http.route", route)
        span.set_attribute("http.status_code", status)
        if failure is not None:
            span.record_exception(failure)
            span.set_status(Status(StatusCode.ERROR, f"{type(failure).__name__}: {failure}"))
        elif status >= 500:
            span.set_status(Status(StatusCode.ERROR))
    span.end()
