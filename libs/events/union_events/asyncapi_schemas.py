"""The JSON schemas of the AsyncAPI document (`asyncapi.py`): the CloudEvents envelope and the
NATS headers as `wire.encode_row` and `consumer._dead_letter` write them, and the published
contracts as pydantic models serialize them (money a two-place decimal string)."""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import GenerateJsonSchema
from pydantic_core import core_schema

from .contracts import EventPayload
from .events import EventContext
from .wire import CONTENT_TYPE, LOG_ID_HEADER, LOG_POSITION_HEADER

MONEY_PATTERN = r"^-?[0-9]+\.[0-9]{2}$"  # yuan with two places (分), as `money.yuan` writes it
TIME_PATTERN = (  # RFC 3339, as `wire.encode_row` writes it: 2026-05-01T08:30:00.123456Z
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$"
)
TRACEPARENT_PATTERN = r"^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$"
_REF = "#/components/schemas/{model}"


class ContractSchema(GenerateJsonSchema):
    """pydantic's serialization schema, with money as what the codec writes: a decimal string
    with two places (pydantic says "number or string" for a `Decimal`)."""

    def decimal_schema(self, schema: core_schema.DecimalSchema) -> dict[str, Any]:
        return {
            "type": "string",
            "pattern": MONEY_PATTERN,
            "description": 'an amount in yuan with two places, e.g. "3011.00"',
        }


def data_schema(model: type[EventPayload], schemas: dict[str, Any]) -> dict[str, Any]:
    """The JSON schema of a published payload, put into `schemas`; returns a `$ref` to it."""
    schema = model.model_json_schema(
        mode="serialization", schema_generator=ContractSchema, ref_template=_REF
    )
    schemas.update(schema.pop("$defs", {}))
    schemas[model.__name__] = schema
    return {"$ref": _REF.format(model=model.__name__)}


def _string(description: str, **more: Any) -> dict[str, Any]:
    return {"type": "string", "description": description, **more}


def envelope(source: str, event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """The CloudEvent as `wire.encode_row` writes it: which attributes, which always present."""
    extensions = EventContext("x", "x", "x", "x", "x").as_dict()  # their names on the wire
    properties = {
        "specversion": {"type": "string", "const": "1.0"},
        "id": _string("the event id: key what you do on it (an event may come again)"),
        "source": {"type": "string", "const": source},
        "type": {"type": "string", "const": event_type, "description": "= the NATS subject"},
        "subject": _string("the stream (aggregate) the event belongs to, e.g. claim-<id>"),
        "time": _string("when it happened (UTC)", format="date-time", pattern=TIME_PATTERN),
        "datacontenttype": {"type": "string", "const": "application/json"},
        "correlationid": _string("the request or flow it belongs to (extension)"),
        "causationid": _string("the id of the event or request that caused it (extension)"),
        "orgpath": _string("the org it concerns, e.g. zhoushan/dinghai (extension)"),
        "traceparent": _string("W3C trace context (extension)", pattern=TRACEPARENT_PATTERN),
        "actor": _string(
            "who caused it: a staff account id, or service:<name> (extension); never personal data"
        ),
        "data": data,
    }
    assert set(extensions) <= set(properties), extensions  # EventContext gained one
    required = ["specversion", "id", "source", "type", "subject", "time", "datacontenttype"]
    return {
        "type": "object",
        "required": [*required, "actor", "data"],
        "properties": properties,
    }


def event_headers() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["Nats-Msg-Id", "content-type", LOG_POSITION_HEADER],
        "properties": {
            "Nats-Msg-Id": _string("= the CloudEvents id (JetStream de-duplication)"),
            "content-type": {"type": "string", "const": CONTENT_TYPE},
            LOG_POSITION_HEADER: _string(
                "the event's position in its service's log (1, 2, 3, ...)", pattern=r"^[1-9][0-9]*$"
            ),
            LOG_ID_HEADER: _string(
                "the log that position is in (a UUID a database keeps, backups included)"
            ),
            "traceparent": _string(
                "W3C trace context, when the event was caused in a traced request",
                pattern=TRACEPARENT_PATTERN,
            ),
        },
    }


def dead_letter_headers() -> dict[str, Any]:
    return {
        "type": "object",
        "required": [
            "Nats-Msg-Id",
            "Union-Dead-Letter-Reason",
            "Union-Original-Subject",
            "Union-Consumer",
        ],
        "properties": {
            "Nats-Msg-Id": _string("<consumer>:<event id>, or <consumer>:<stream sequence>"),
            "Union-Dead-Letter-Reason": _string(
                "why: `unparseable: ...` or `failed N times: <error>`", maxLength=1000
            ),
            "Union-Original-Subject": _string("the subject the message came on"),
            "Union-Consumer": _string("the durable consumer that gave up on it"),
        },
    }
