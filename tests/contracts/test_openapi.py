"""Each service's OpenAPI document is valid (openapi-spec-validator) and says what every
route answers: a success body with its fields named (never a bare object), exact (no field the
document does not name), and the contract's error body for 401, 403, 404, 409 and 422."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from claims.bootstrap import definition as claims_definition
from members.bootstrap import definition as members_definition
from openapi_spec_validator import validate
from outreach.bootstrap import definition as outreach_definition
from relief.bootstrap import definition as relief_definition
from union_events.apps import create_app
from union_events.service import ServiceDefinition
from union_events.settings import ServiceSettings

SERVICES: dict[str, Callable[[], ServiceDefinition]] = {
    "members": members_definition,
    "claims": claims_definition,
    "relief": relief_definition,
    "outreach": outreach_definition,
}
ERRORS = ("401", "403", "404", "409", "422")
HEALTH = ("/healthz", "/readyz", "/metrics")  # no token asked: no 401/403 to document


def _document(service: str) -> dict[str, Any]:
    return create_app(SERVICES[service](), ServiceSettings()).openapi()


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _unnamed(document: dict[str, Any], schema: dict[str, Any], where: str) -> list[str]:
    """Where an answer's schema is an object whose fields are not named, or not exact."""
    schema = _resolve(document, schema)
    if "anyOf" in schema:
        return [p for s in schema["anyOf"] for p in _unnamed(document, s, where)]
    if schema.get("type") == "array":
        if "prefixItems" in schema:  # a tuple
            return [p for s in schema["prefixItems"] for p in _unnamed(document, s, f"{where}[]")]
        return _unnamed(document, schema.get("items", {}), f"{where}[]")
    if schema.get("type") == "object" or "properties" in schema:
        if "additionalProperties" in schema and "properties" not in schema:  # a map
            values = schema["additionalProperties"]
            return [] if values is not True and values else [f"{where}: a map of anything"]
        if not schema.get("properties"):
            return [f"{where}: an object with no fields named"]
        found = [] if schema.get("additionalProperties") is False else [f"{where}: not exact"]
        for name, field in schema["properties"].items():
            found += _unnamed(document, field, f"{where}.{name}")
        return found
    if not schema:
        return [f"{where}: anything"]
    return []


@pytest.mark.parametrize("service", list(SERVICES))
def test_the_openapi_document_is_valid(service: str) -> None:
    validate(_document(service))  # raises, naming the first fault


@pytest.mark.parametrize("service", list(SERVICES))
def test_every_route_names_the_fields_of_its_answer(service: str) -> None:
    document = _document(service)
    faults = []
    for method, path, operation in _operations(document):
        successes = {s: r for s, r in operation["responses"].items() if s.startswith("2")}
        if not successes:
            faults.append(f"{method} {path}: no success answer")
        for status, response in successes.items():
            content = response.get("content", {})
            if path == "/metrics":
                assert content["text/plain"]["schema"] == {"type": "string"}
                continue
            schema = content.get("application/json", {}).get("schema")
            if schema is None:
                faults.append(f"{method} {path} {status}: no JSON body documented")
                continue
            faults += [f"{method} {path} {status} {p}" for p in _unnamed(document, schema, "")]
    assert not faults, "\n".join(faults)


@pytest.mark.parametrize("service", list(SERVICES))
def test_every_route_documents_the_error_body(service: str) -> None:
    document = _document(service)
    missing = [
        f"{method} {path} {status}"
        for method, path, operation in _operations(document)
        if path not in HEALTH
        for status in ERRORS
        if operation["responses"]
        .get(status, {})
        .get("content", {})
        .get("application/json", {})
        .get("schema", {})
        .get("$ref", "")
        .rsplit("/", 1)[-1]
        != "ErrorBody"
    ]
    assert not missing, "no error body documented: " + ", ".join(missing)


def _error_body(operation: dict[str, Any], status: str) -> bool:
    schema = (
        operation["responses"].get(status, {}).get("content", {}).get("application/json", {})
    ).get("schema", {})
    return schema.get("$ref", "").rsplit("/", 1)[-1] == "ErrorBody"


@pytest.mark.parametrize("service", list(SERVICES))
def test_every_command_documents_the_503_of_a_log_behind_its_stream(service: str) -> None:
    """A command (any route but a read) answers 503 `log_behind_stream` while the log is
    behind its stream (docs/operations.md): generated clients know it; reads do not answer it."""
    document = _document(service)
    commands = [(m, p, o) for m, p, o in _operations(document) if m != "GET"]
    assert commands
    missing = [f"{m} {p}" for m, p, o in commands if not _error_body(o, "503")]
    assert not missing, "no 503 documented: " + ", ".join(missing)
    for method, path, operation in _operations(document):
        if method == "GET" and path not in HEALTH:
            assert "503" not in operation["responses"], f"{method} {path}"
