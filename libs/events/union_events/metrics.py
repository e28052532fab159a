"""Prometheus metrics of one service, served at `/metrics` in the text format.

Each app has a registry of its own (several services share a process in tests). HTTP
requests are counted and timed by method, route template and status (by the HTTP edge layer,
`edge.ServiceEdge`); the rest is read from the runtime when scraped: events appended (the
log's head position: positions are dense, so it counts every event ever appended), relay
lag, per durable consumer its lag (JetStream's pending + unacknowledged), handled and
dead-lettered messages.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import generate_latest
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from .service import Runtime

NOT_COUNTED = frozenset({"/metrics", "/healthz", "/readyz"})


class ServiceMetrics:
    """The registry of one app, its HTTP instruments and the runtime figures read at scrape."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "union_http_requests",
            "HTTP requests handled, by method, route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "union_http_request_duration_seconds",
            "HTTP request latency, by method and route template.",
            ["method", "route"],
            registry=self.registry,
        )
        self.runtime = _RuntimeFigures()
        self.registry.register(self.runtime)

    async def exposition(self, runtime: Runtime | None) -> tuple[bytes, str]:
        """The text format, with the runtime figures read now."""
        await self.runtime.read(runtime)
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


class _RuntimeFigures(Collector):
    """Figures read asynchronously just before a scrape (relay and consumer lag need I/O)."""

    def __init__(self) -> None:
        self.metrics: list[Metric] = []

    async def read(self, runtime: Runtime | None) -> None:
        from .apps import consumer_lag  # the same figures /readyz reports

        appended = CounterMetricFamily("union_events_appended", "Events appended to the log.")
        relay_lag = GaugeMetricFamily(
            "union_relay_lag_events", "Events in the log not yet acknowledged by JetStream."
        )
        lag = GaugeMetricFamily(
            "union_consumer_lag_messages",
            "Messages JetStream holds for a durable consumer, not yet acknowledged.",
            labels=["consumer", "stream"],
        )
        handled = CounterMetricFamily(
            "union_consumer_handled", "Messages a consumer handled.", labels=["consumer"]
        )
        dead = CounterMetricFamily(
            "union_consumer_dead_lettered",
            "Messages a consumer sent to its dead-letter subject.",
            labels=["consumer"],
        )
        active = GaugeMetricFamily(
            "union_relay_active", "1 when this replica's relay holds the lease and publishes."
        )
        relay_published = CounterMetricFamily(
            "union_relay_published_messages",
            "Messages this replica's relay published that JetStream acknowledged.",
        )
        relay_duplicates = CounterMetricFamily(
            "union_relay_duplicate_acks",
            "Of them, acknowledged as duplicates: already in the stream (de-duplicated).",
        )
        behind = GaugeMetricFamily(
            "union_log_behind_stream", "1 while the log is behind its stream (appends refused)."
        )
        if runtime is not None:
            active.add_metric([], 1.0 if runtime.relay.role == "active" else 0.0)
            relay_published.add_metric([], runtime.relay.published)
            relay_duplicates.add_metric([], runtime.relay.duplicates)
            behind.add_metric([], 0.0 if runtime.store.refusal is None else 1.0)
            head = await runtime.store.head_position()
            appended.add_metric([], head)
            relay_lag.add_metric([], head - runtime.relay.published_position)
            lags = await consumer_lag(runtime)
            for consumer in runtime.consumers:
                name = consumer.spec.name
                if isinstance(lags.get(name), int):
                    lag.add_metric([name, consumer.spec.stream], float(lags[name]))
                handled.add_metric([name], consumer.handled)
                dead.add_metric([name], consumer.dead_lettered)
        self.metrics = [appended, relay_lag, lag, handled, dead]
        self.metrics += [active, relay_published, relay_duplicates, behind]

    def collect(self) -> Iterable[Metric]:
        return list(self.metrics)

    def describe(self) -> Iterable[Metric]:
        return []


def parse(text: str) -> Iterable[Any]:
    """The metric families in a text exposition (for tests and tools)."""
    from prometheus_client.parser import text_string_to_metric_families

    return text_string_to_metric_families(text)
