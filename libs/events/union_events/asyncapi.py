"""A service's AsyncAPI 3.0 document, built from its definition and the wire format.

It tells the truth about what `wire.encode_row` puts on NATS: the CloudEvents structured
envelope (`application/cloudevents+json`) with the published contract under `data`, the NATS
headers, the consumers (receive operations on the other services' events) and the dead-letter
subjects they write to (`consumer._dead_letter`). Served by every service at `/asyncapi.json`
(`apps.create_app`); `python -m union_events.asyncapi claims.bootstrap:definition` prints it
without starting anything.
"""

from __future__ import annotations

import fnmatch
import importlib
import pkgutil
import re
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .asyncapi_schemas import data_schema, dead_letter_headers, envelope, event_headers
from .consumer import ConsumerSpec, dead_letter_subject
from .contracts import EventPayload
from .relay import StreamSpec
from .wire import CONTENT_TYPE

if TYPE_CHECKING:
    from .service import ServiceDefinition

VERSION = "3.0.0"


def _id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_")


def known_publications() -> list[type[EventPayload]]:
    """Every payload the platform publishes (the contracts in `union_events.published`)."""
    from . import published

    found: list[type[EventPayload]] = []
    for module in pkgutil.iter_modules(published.__path__):
        contracts = importlib.import_module(f"{published.__name__}.{module.name}")
        found += getattr(contracts, "PUBLISHED", [])  # vocabularies: lists, no payloads
    return found


def matches(subject_filter: str, subject: str) -> bool:
    """A NATS subject filter (`*` one token, `>` the rest) against a subject."""
    want, got = subject_filter.split("."), subject.split(".")
    for i, token in enumerate(want):
        if token == ">":
            return len(got) > i
        if i >= len(got) or (token != "*" and not fnmatch.fnmatchcase(got[i], token)):
            return False
    return len(want) == len(got)


class _Builder:
    def __init__(self, service: str) -> None:
        self.service = service
        self.source = f"/union/{service}"
        self.channels: dict[str, Any] = {}
        self.operations: dict[str, Any] = {}
        self.messages: dict[str, Any] = {}
        self.schemas: dict[str, Any] = {}

    def event_message(self, model: type[EventPayload]) -> str:
        """The message of a published payload (from whichever service publishes it)."""
        key = _id(model.event_type())
        if key not in self.messages:
            source = "/union/" + model.event_type().split(".")[1]
            data = data_schema(model, self.schemas)
            self.messages[key] = {
                "name": model.event_type(),
                "title": model.__name__,
                "summary": (model.__doc__ or "").strip().splitlines()[0],
                "description": " ".join((model.__doc__ or "").split()),
                "contentType": CONTENT_TYPE,
                "headers": event_headers(),
                "payload": envelope(source, model.event_type(), data),
                "correlationId": {"location": "$message.payload#/correlationid"},
            }
        return key

    def publish(self, model: type[EventPayload]) -> None:
        key, stream = _id(model.event_type()), StreamSpec.for_service(self.service).name
        self.channels[key] = {
            "address": model.event_type(),
            "title": model.__name__,
            "description": f"JetStream stream `{stream}`; the subject is the event type.",
            "messages": {key: {"$ref": f"#/components/messages/{self.event_message(model)}"}},
        }
        self.operations[f"publish_{key}"] = {
            "action": "send",
            "title": f"publish {model.event_type()}",
            "summary": f"The relay publishes {model.__name__} from the log (the outbox).",
            "channel": {"$ref": f"#/channels/{key}"},
            "messages": [{"$ref": f"#/channels/{key}/messages/{key}"}],
        }

    def consume(self, spec: ConsumerSpec, known: Iterable[type[EventPayload]]) -> None:
        key = _id(f"consumed_{spec.name}")
        names = [self.event_message(m) for m in known if matches(spec.subject, m.event_type())]
        if not names:
            names = [self.any_event()]
        self.channels[key] = {
            "address": spec.subject,
            "title": f"{spec.name} (stream {spec.stream})",
            "description": f"The events on `{spec.subject}` in JetStream stream `{spec.stream}`.",
            "messages": {n: {"$ref": f"#/components/messages/{n}"} for n in names},
        }
        dlq_key = self.dead_letters(spec)
        self.operations[key] = {
            "action": "receive",
            "title": spec.name,
            "summary": " ".join((spec.handler.__doc__ or "").split()) or spec.name,
            "description": (
                f"Durable pull consumer `{spec.name}` on stream `{spec.stream}`, acknowledged "
                "once handled; an event id already in the inbox changes nothing. A message "
                f"that cannot be parsed, or fails {spec.max_deliveries} times, goes to "
                f"`{dead_letter_subject(self.service, spec.name)}`."
            ),
            "channel": {"$ref": f"#/channels/{key}"},
            "messages": [{"$ref": f"#/channels/{key}/messages/{n}"} for n in names],
        }
        self.operations[f"dead_letter_{dlq_key}"] = {
            "action": "send",
            "title": f"dead-letter {spec.name}",
            "channel": {"$ref": f"#/channels/{dlq_key}"},
            "messages": [{"$ref": f"#/channels/{dlq_key}/messages/DeadLetter"}],
        }

    def any_event(self) -> str:
        if "CloudEvent" not in self.messages:
            self.messages["CloudEvent"] = {
                "name": "CloudEvent",
                "contentType": CONTENT_TYPE,
                "headers": event_headers(),
                "payload": {
                    "type": "object",
                    "required": ["specversion", "id", "source", "type", "data"],
                    "properties": {"data": {"type": "object"}},
                },
            }
        return "CloudEvent"

    def dead_letters(self, spec: ConsumerSpec) -> str:
        key = _id(f"dlq_{spec.name}")
        self.messages.setdefault(
            "DeadLetter",
            {
                "name": "DeadLetter",
                "title": "A message a consumer gave up on",
                "summary": "The original body, byte for byte, with the reason in a header.",
                "headers": dead_letter_headers(),
                "payload": {"description": "the original message body, unchanged"},
            },
        )
        self.channels[key] = {
            "address": dead_letter_subject(self.service, spec.name),
            "title": f"dead letters of {spec.name}",
            "description": f"JetStream stream `DLQ_{self.service.upper()}`.",
            "messages": {"DeadLetter": {"$ref": "#/components/messages/DeadLetter"}},
        }
        return key


def document(definition: ServiceDefinition, nats_url: str | None = None) -> dict[str, Any]:
    """The AsyncAPI 3.0 document of a `ServiceDefinition` (its publishes and consumers)."""
    builder = _Builder(definition.name)
    for model in definition.publishes:
        builder.publish(model)
    known = known_publications()
    for spec in definition.consumers:
        builder.consume(spec, known)
    title = definition.title or definition.name
    doc: dict[str, Any] = {
        "asyncapi": VERSION,
        "info": {
            "title": f"{title}: events",
            "version": definition.version,
            "description": (
                f"What the {definition.name} service publishes on NATS JetStream and what it "
                "consumes. Every message is a CloudEvents 1.0 event in structured mode "
                f"(`{CONTENT_TYPE}`): the published contract is under `data`. Money is a "
                "decimal string in yuan with two places, dates are ISO 8601."
            ),
        },
        "defaultContentType": CONTENT_TYPE,
    }
    if nats_url:
        doc["servers"] = _servers(nats_url)
    doc |= {
        "channels": builder.channels,
        "operations": builder.operations,
        "components": {"messages": builder.messages, "schemas": builder.schemas},
    }
    return doc


def _servers(nats_url: str) -> dict[str, Any]:
    servers: dict[str, Any] = {}
    for i, url in enumerate(u.strip() for u in nats_url.split(",") if u.strip()):
        parts = urlsplit(url if "://" in url else f"nats://{url}")
        host = f"{parts.hostname}:{parts.port or 4222}"  # never the credentials of the URL
        servers[f"nats{i}" if i else "nats"] = {
            "host": host,
            "protocol": "nats",
            "description": "NATS JetStream; connect with your own NATS user (user/password).",
        }
    return servers


def main(argv: list[str] | None = None) -> None:
    """`python -m union_events.asyncapi pkg.module:definition`: print the document."""
    import json

    args = list(argv if argv is not None else sys.argv[1:])
    if len(args) != 1 or ":" not in args[0]:
        raise SystemExit("usage: python -m union_events.asyncapi claims.bootstrap:definition")
    module, factory = args[0].split(":", 1)
    definition = getattr(importlib.import_module(module), factory)()
    print(json.dumps(document(definition), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
