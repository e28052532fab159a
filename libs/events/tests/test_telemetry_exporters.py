"""The span exporter is chosen by the standard OTEL_* variables."""

from __future__ import annotations

import pytest
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter
from union_events.telemetry import _processor_from_env


def exporter_of(processor: object) -> object:
    assert isinstance(processor, BatchSpanProcessor)
    return processor._batch_processor._exporter  # type: ignore[attr-defined]


def test_no_exporter_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OTEL_TRACES_EXPORTER", raising=False)
    assert _processor_from_env() is None
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", "none")
    assert _processor_from_env() is None


def test_console_and_otlp_by_the_standard_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    monkeypatch.setenv("OTEL_TRACES_EXPORTER", "console")
    console = _processor_from_env()
    assert isinstance(exporter_of(console), ConsoleSpanExporter)
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", "otlp")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")
    otlp = _processor_from_env()
    exporter = exporter_of(otlp)
    assert isinstance(exporter, OTLPSpanExporter)
    assert exporter._endpoint == "http://collector:4318/v1/traces"  # type: ignore[attr-defined]
    for processor in (console, otlp):
        assert processor is not None
        processor.shutdown()
