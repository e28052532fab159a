"""Logging: plain text for people at a terminal, or one JSON object per line for machines.

`LOG_FORMAT=json` gives lines with time, level, logger, message, service, trace_id, span_id
and correlation_id (from the active span and from `bound(...)`, or the variables themselves,
which the HTTP edge layer `edge.ServiceEdge` and the consumers set), plus `exception` when
there is one. `LOG_FORMAT=text` (the default) is the familiar `LEVEL:logger:message`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from .telemetry import current_ids

correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)
service_name: ContextVar[str | None] = ContextVar("service_name", default=None)

_HANDLER_NAME = "union-json"
CORRELATION_HEADER = b"x-correlation-id"


@contextmanager
def bound(*, correlation: str | None = None, service: str | None = None) -> Iterator[None]:
    """Log lines written inside the block carry this correlation id and service name."""
    tokens = []
    if correlation is not None:
        tokens.append((correlation_id, correlation_id.set(correlation)))
    if service is not None:
        tokens.append((service_name, service_name.set(service)))
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the ids of the context the line was logged in."""

    def __init__(self, service: str = "") -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        trace_id, span_id = current_ids()  # formatted in the caller's context: its span
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "service": service_name.get() or self.service,
            "trace_id": trace_id,
            "span_id": span_id,
            "correlation_id": correlation_id.get(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def configure_logging(level: str = "INFO", fmt: str = "text", service: str = "") -> None:
    """Set the root logger up once per process (later calls only adjust it)."""
    if fmt.strip().lower() != "json":
        logging.basicConfig(level=level.upper())  # as ever: a no-op where logging is set up
        return
    root = logging.getLogger()
    root.setLevel(level.upper())
    if any(h.get_name() == _HANDLER_NAME for h in root.handlers):
        return
    for handler in list(root.handlers):
        if type(handler) is logging.StreamHandler:  # basicConfig's: it would write lines twice
            root.removeHandler(handler)
    handler = logging.StreamHandler()
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(JsonFormatter(service))
    root.addHandler(handler)
