"""The AsyncAPI document of a service definition: what `wire.encode` sends, as a schema.

(That every service's served document passes the official parser and matches every message
a running platform published: tests/contracts/test_asyncapi.py.)
"""

from __future__ import annotations

import json
import sys
import types
from datetime import UTC, date, datetime
from decimal import Decimal

import httpx
import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7
from union_events import codec
from union_events.apps import create_app
from union_events.asyncapi import document, main, matches
from union_events.asyncapi_schemas import MONEY_PATTERN
from union_events.consumer import ConsumerSpec, InboxConsumer, Outcome
from union_events.contracts import EventPayload
from union_events.events import EventContext, RecordedEvent
from union_events.service import ServiceDefinition
from union_events.wire import encode


class GrantPaid(EventPayload):
    """A grant was paid."""

    event_name = "union.tests.grant.paid"
    grant_id: str
    amount: Decimal
    on: date
    note: str | None


async def on_enrolled(conn, event) -> None:
    """Note who was enrolled."""


def definition() -> ServiceDefinition:
    spec = ConsumerSpec("tests-members", "MEMBERS", "union.members.member.>", on_enrolled)
    return ServiceDefinition(name="tests", title="Tests", consumers=[spec], publishes=[GrantPaid])


def validator(doc: dict, pointer: str) -> jsonschema.Draft7Validator:
    registry = Registry().with_resource(
        "urn:doc", Resource.from_contents(doc, default_specification=DRAFT7)
    )
    return jsonschema.Draft7Validator({"$ref": f"urn:doc#{pointer}"}, registry=registry)


def sent(context: EventContext, amount: str = "3011.50") -> tuple[dict, dict]:
    data = {"grant_id": "g1", "amount": Decimal(amount), "on": date(2026, 5, 1), "note": None}
    event = RecordedEvent(1, "grant-g1", 1, "e1", GrantPaid.event_type(), data,
                          datetime(2026, 5, 1, tzinfo=UTC), context)  # fmt: skip
    _, headers, body = encode(event, "/union/tests")
    return headers, codec.loads(body)


def test_money_is_a_decimal_string_with_two_places_and_dates_iso_strings():
    doc = document(definition())
    data = doc["components"]["schemas"]["GrantPaid"]
    assert data["properties"]["amount"] == {
        "type": "string",
        "pattern": MONEY_PATTERN,
        "description": 'an amount in yuan with two places, e.g. "3011.00"',
        "title": "Amount",
    }
    assert data["properties"]["on"] == {"type": "string", "format": "date", "title": "On"}
    assert set(data["required"]) == {"grant_id", "amount", "on", "note"}


def test_a_published_event_is_the_cloudevent_with_the_contract_under_data():
    doc = document(definition())
    [(key, channel)] = [(k, c) for k, c in doc["channels"].items() if "grant" in k]
    assert channel["address"] == "union.tests.grant.paid.v1"
    message = doc["components"]["messages"][key]
    assert message["contentType"] == "application/cloudevents+json"
    assert set(message["payload"]["required"]) == {
        "specversion", "id", "source", "type", "subject", "time", "datacontenttype", "actor",
        "data",
    }  # fmt: skip
    assert {"correlationid", "causationid", "orgpath", "traceparent"} <= set(
        message["payload"]["properties"]
    )
    assert message["headers"]["required"] == ["Nats-Msg-Id", "content-type", "Union-Log-Position"]
    assert doc["operations"][f"publish_{key}"]["action"] == "send"

    trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    for context in (EventContext(), EventContext("c", "e0", "zhoushan", trace, "officer-1")):
        headers, body = sent(context)
        pointer = f"/components/messages/{key}"
        assert list(validator(doc, f"{pointer}/payload").iter_errors(body)) == []
        assert list(validator(doc, f"{pointer}/headers").iter_errors(headers)) == []
    _, body = sent(EventContext())
    body["data"]["amount"] = 3011.5  # a number is not what the platform sends
    assert not validator(doc, f"/components/messages/{key}/payload").is_valid(body)


def test_each_consumer_is_a_receive_operation_with_its_dead_letter_subject():
    doc = document(definition())
    op = doc["operations"]["consumed_tests-members"]
    assert op["action"] == "receive" and op["summary"] == "Note who was enrolled."
    channel = doc["channels"]["consumed_tests-members"]
    assert channel["address"] == "union.members.member.>"
    assert "union_members_member_enrolled_v1" in channel["messages"]  # the members contract
    assert "union_members_org_registered_v1" not in channel["messages"]  # not on the filter
    dlq = doc["channels"]["dlq_tests-members"]
    assert dlq["address"] == "union.dlq.tests.tests-members"
    headers = doc["components"]["messages"]["DeadLetter"]["headers"]
    assert set(headers["required"]) == {
        "Nats-Msg-Id", "Union-Dead-Letter-Reason", "Union-Original-Subject", "Union-Consumer",
    }  # fmt: skip


def test_the_servers_name_the_nats_hosts_never_their_credentials():
    doc = document(definition(), "nats://claims:secret@nats-1:4222,nats://nats-2")
    assert [s["host"] for s in doc["servers"].values()] == ["nats-1:4222", "nats-2:4222"]
    assert "secret" not in str(doc)


def test_nats_subject_filters():
    assert matches("union.members.>", "union.members.member.enrolled.v1")
    assert matches("union.*.member.enrolled.v1", "union.members.member.enrolled.v1")
    assert not matches("union.members.>", "union.members")
    assert not matches("union.claims.>", "union.members.member.enrolled.v1")


async def test_the_document_and_its_page_are_served_without_a_token():
    app = create_app(definition())  # no lifespan: the docs need no runtime
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        served = await client.get("/asyncapi.json")
        page = await client.get("/asyncapi")
    assert served.status_code == 200 and served.json()["asyncapi"] == "3.0.0"
    assert page.status_code == 200 and "union.tests.grant.paid.v1" in page.text
    assert "<script" not in page.text and "http" not in page.text  # nothing fetched elsewhere
    assert "/asyncapi.json" not in app.openapi()["paths"]


class _Js:
    def __init__(self) -> None:
        self.sent: list[tuple[str, bytes, dict[str, str]]] = []

    async def publish(self, subject: str, data: bytes, headers: dict[str, str]) -> None:
        self.sent.append((subject, data, headers))


class _Msg:
    subject, data = "union.members.member.enrolled.v1", b"not json"

    async def ack(self) -> None:
        pass


async def test_a_dead_letter_is_what_its_channel_documents():
    doc = document(definition())
    spec = definition().consumers[0]
    js = _Js()
    outcome = await InboxConsumer(spec, None, js, "tests").handle(_Msg())  # type: ignore[arg-type]
    assert outcome is Outcome.DEAD_LETTERED
    [(subject, body, headers)] = js.sent
    assert subject == doc["channels"]["dlq_tests-members"]["address"]
    schema = doc["components"]["messages"]["DeadLetter"]["headers"]
    assert list(jsonschema.Draft7Validator(schema).iter_errors(headers)) == []
    assert set(headers) == set(schema["properties"]) and body == b"not json"


def test_the_document_prints_without_a_running_service(capsys, monkeypatch):
    module = types.ModuleType("probe_bootstrap")
    module.definition = definition  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "probe_bootstrap", module)
    main(["probe_bootstrap:definition"])
    printed = json.loads(capsys.readouterr().out)
    assert printed["asyncapi"] == "3.0.0" and "servers" not in printed
    assert "union.tests.grant.paid.v1" in {c["address"] for c in printed["channels"].values()}
