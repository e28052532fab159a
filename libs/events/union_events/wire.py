"""The wire format: CloudEvents 1.0, NATS protocol binding, structured content mode.

The body is the CloudEvents JSON event format (`application/cloudevents+json`); NATS headers
also carry `Nats-Msg-Id` (JetStream de-duplication), the W3C `traceparent`, and the event's
place in its service's log: `Union-Log-Position` and `Union-Log-Id` (see `log_guard.py`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import codec
from .events import EventContext, RecordedEvent
from .publishing import header_value
from .reading import LogRow

CONTENT_TYPE = "application/cloudevents+json"
# The event's position in its service's log, on every message the relay publishes: at start-up
# a service compares its log's head with the last one on its stream (see `log_guard.py`).
LOG_POSITION_HEADER = "Union-Log-Position"
LOG_ID_HEADER = "Union-Log-Id"  # the log that position is in (`EventStore.log_id`)
_REQUIRED = ("specversion", "id", "source", "type")


class WireFormatError(ValueError):
    """A message that is not a CloudEvent this platform can read."""


@dataclass(frozen=True, slots=True)
class IncomingEvent:
    """An event read off the wire, as a consumer sees it."""

    id: str
    source: str
    type: str
    subject: str | None
    time: datetime | None
    data: Mapping[str, Any]
    context: EventContext


def nats_subject(event_type: str) -> str:
    """Events travel on their type: `union.claims.claim.paid.v1` is under `union.claims.>`."""
    return event_type


def service_actor(source: str) -> str:
    """The actor of an event no person caused (a consumer's, a job's): the service itself,
    `service:claims` for the source `/union/claims`."""
    return "service:" + source.rstrip("/").rsplit("/", 1)[-1]


def to_cloudevent(event: RecordedEvent, source: str) -> dict[str, Any]:
    attributes: dict[str, Any] = {
        "specversion": "1.0",
        "id": event.id,
        "source": source,
        "type": event.type,
        "subject": event.stream_id,
        "time": event.occurred_at.isoformat().replace("+00:00", "Z"),
        "datacontenttype": "application/json",
    }
    attributes.update(event.context.as_dict())
    attributes.setdefault("actor", service_actor(source))
    attributes["data"] = event.data
    return attributes


def encode(
    event: RecordedEvent, source: str, log_id: str | None = None
) -> tuple[str, dict[str, str], bytes]:
    """Subject, headers and body of the NATS message carrying `event` (its log position in a
    header, and the log's id when given)."""
    body = codec.dumpb(to_cloudevent(event, source))
    headers = {
        "Nats-Msg-Id": event.id,
        "content-type": CONTENT_TYPE,
        LOG_POSITION_HEADER: str(event.position),
    }
    if log_id:
        headers[LOG_ID_HEADER] = log_id
    if event.context.traceparent:
        headers["traceparent"] = event.context.traceparent
    return nats_subject(event.type), headers, body


def encode_row(
    row: LogRow, source: str, log_id: str | None = None
) -> tuple[str, dict[str, str], bytes]:
    """`encode` for a row straight from the log: the stored JSON data is spliced in as is.
    Headers carry the row's log position, and the log's id when given. (`RowEncoder.frame`,
    with the headers as a dict.)"""
    subject, lines, body = RowEncoder(source, log_id).frame(row)
    headers = dict(line.split(": ", 1) for line in lines.split("\r\n") if line)
    return subject, headers, body


class RowEncoder:
    """`encode_row` for the rows of one log published by one source, as NATS frames: subject,
    header lines (`publishing.Frame`) and body; what is the same for every row made once."""

    __slots__ = ("_actor", "_source", "_tail")

    def __init__(self, source: str, log_id: str | None = None) -> None:
        self._source = source
        self._actor = service_actor(source)
        log_line = f"{LOG_ID_HEADER}: {header_value(log_id)}\r\n" if log_id else ""
        self._tail = f"\r\n{log_line}"  # after the position's header line

    def frame(self, row: LogRow) -> tuple[str, str, bytes]:
        occurred_at = row.occurred_at
        if occurred_at.tzinfo is None:  # SQLite keeps no zone; we always write UTC
            time = occurred_at.isoformat() + "Z"
        else:
            time = occurred_at.isoformat().replace("+00:00", "Z")
        lines = (
            f"Nats-Msg-Id: {header_value(row.event_id)}\r\n"
            f"content-type: {CONTENT_TYPE}\r\n"
            f"{LOG_POSITION_HEADER}: {row.position}{self._tail}"
        )
        attributes = {
            "specversion": "1.0",
            "id": row.event_id,
            "source": self._source,
            "type": row.type,
            "subject": row.stream_id,
            "time": time,
            "datacontenttype": "application/json",
        }
        if row.context_json != "{}":
            context = codec.loads(row.context_json)
            attributes.update(context)
            if "traceparent" in context:
                lines += f"traceparent: {header_value(str(context['traceparent']))}\r\n"
        attributes.setdefault("actor", self._actor)
        head = codec.dumps(attributes)
        body = f'{head[:-1]},"data":{row.data_json}}}'.encode()
        return nats_subject(row.type), lines, body


def decode(body: bytes) -> IncomingEvent:
    try:
        attributes = codec.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise WireFormatError(f"body is not JSON: {type(exc).__name__}: {exc}") from exc
    if not isinstance(attributes, dict):
        raise WireFormatError("body is not a JSON object")
    missing = [name for name in _REQUIRED if not attributes.get(name)]
    if missing:
        raise WireFormatError(f"missing CloudEvents attributes: {', '.join(missing)}")
    if attributes["specversion"] != "1.0":
        raise WireFormatError(f"unsupported specversion {attributes['specversion']!r}")
    if "data_base64" in attributes:
        raise WireFormatError("binary data (data_base64) is not an event of this platform")
    data = attributes.get("data", {})
    if not isinstance(data, dict):
        raise WireFormatError("data is not a JSON object")
    time = attributes.get("time")
    try:
        parsed_time = datetime.fromisoformat(time.replace("Z", "+00:00")) if time else None
    except (AttributeError, ValueError) as exc:
        raise WireFormatError(f"bad time {time!r}") from exc
    return IncomingEvent(
        id=str(attributes["id"]),
        source=str(attributes["source"]),
        type=str(attributes["type"]),
        subject=attributes.get("subject"),
        time=parsed_time,
        data=data,
        context=EventContext.from_dict(attributes),
    )
