"""Validation messages a person can read (issue 18 #20): every pattern a service's request
schemas hold has its rule in words, and a value that breaks one answers a 422 naming the field
and that rule, never the regular expression."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from claims.bootstrap import definition as claims_definition
from members.bootstrap import definition as members_definition
from outreach.bootstrap import definition as outreach_definition
from relief.bootstrap import definition as relief_definition
from union_events.apps import create_app
from union_events.errors_http import pattern_in_words
from union_events.service import ServiceDefinition
from union_events.settings import ServiceSettings
from union_events.testing.http import service_client

SERVICES: dict[str, Callable[[], ServiceDefinition]] = {
    "members": members_definition,
    "claims": claims_definition,
    "relief": relief_definition,
    "outreach": outreach_definition,
}
BROKEN = "!?!?!"  # breaks every pattern the services use (none allows '!' or '?')
Step = str | None  # a property's name; None for "an item of the array"


def _document(service: str) -> dict[str, Any]:
    return create_app(SERVICES[service](), ServiceSettings()).openapi()


def _patterns(
    document: dict[str, Any], schema: dict[str, Any], at: tuple[Step, ...], seen: frozenset[str]
) -> Iterator[tuple[tuple[Step, ...], str]]:
    """(where in the value, pattern) of every string pattern a request schema holds."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:  # a recursive schema
            return
        yield from _patterns(document, document["components"]["schemas"][name], at, seen | {name})
        return
    if isinstance(schema.get("pattern"), str):
        yield at, schema["pattern"]
    for key in ("anyOf", "allOf", "oneOf"):
        for branch in schema.get(key, []):
            yield from _patterns(document, branch, at, seen)
    if isinstance(schema.get("items"), dict):
        yield from _patterns(document, schema["items"], (*at, None), seen)
    for name, sub in schema.get("properties", {}).items():
        yield from _patterns(document, sub, (*at, name), seen)
    if isinstance(schema.get("additionalProperties"), dict):
        yield from _patterns(document, schema["additionalProperties"], (*at, "key"), seen)


def patterned_fields(service: str) -> list[tuple[str, str, str, tuple[Step, ...], str]]:
    """(method, path, where: body/query/path, the field's place, pattern) of a service's API."""
    document = _document(service)
    found = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for parameter in operation.get("parameters", []):
                place = (parameter["name"],)
                for _, pattern in _patterns(document, parameter.get("schema", {}), (), frozenset()):
                    found.append((method.upper(), path, parameter["in"], place, pattern))
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            schema = (body or {}).get("schema", {})
            for place, pattern in _patterns(document, schema, (), frozenset()):
                found.append((method.upper(), path, "body", place, pattern))
    return found


@pytest.mark.parametrize("service", list(SERVICES))
def test_every_pattern_of_a_request_schema_has_its_rule_in_words(service: str) -> None:
    unexplained = sorted(
        {f"{method} {path} {where} {'.'.join(s or '[]' for s in place)}: {pattern}"
         for method, path, where, place, pattern in patterned_fields(service)
         if not pattern_in_words(pattern)}
    )  # fmt: skip
    assert not unexplained, "patterns no 422 can say in words:\n" + "\n".join(unexplained)


def _body(place: tuple[Step, ...]) -> Any:
    """The smallest JSON value that holds BROKEN at `place`."""
    if not place:
        return BROKEN
    step, rest = place[0], place[1:]
    return [_body(rest)] if step is None else {step: _body(rest)}


def _request(method: str, path: str, where: str, place: tuple[Step, ...]) -> dict[str, Any]:
    url = path
    for name in [p.split("}")[0] for p in path.split("{")[1:]]:
        url = url.replace("{" + name + "}", BROKEN if where == "path" and (name,) == place else "x")
    request: dict[str, Any] = {"method": method, "url": url}
    if where == "query":
        request["params"] = {place[0]: BROKEN}
    elif where == "body":
        request["json"] = _body(place)
    return request


def _looks_like_a_regex(text: str) -> bool:
    return any(sign in text for sign in ("^", "$", "\\d", "[0-9", "{1,", "(?", "pattern"))


@pytest.mark.parametrize("service", [s for s in SERVICES if patterned_fields(s)])
async def test_a_value_breaking_a_pattern_is_a_422_naming_the_field_and_the_rule_in_words(
    service: str, nats_url: str, sqlite_url: str, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("MEMBERS_SECRET", "")
    monkeypatch.setenv("RELIEF_SECRET", "")
    monkeypatch.setenv("RELIEF_WEBHOOK_URL", "")
    settings = ServiceSettings(nats_url=nats_url, database_url=sqlite_url, union_data_dir=tmp_path)
    wrong: list[str] = []
    async with service_client(SERVICES[service](), settings) as api:
        for method, path, where, place, pattern in patterned_fields(service):
            steps = [str(0) if s is None else s for s in place]
            field = ".".join(steps if where == "body" else [where, *steps])  # as loc names it
            what = f"{method} {path} {where} {field}"
            response = await api.request(**_request(method, path, where, place))
            if response.status_code != 422:
                wrong.append(f"{what}: {response.status_code} {response.text}")
                continue
            error = response.json()["error"]
            problems = {f["field"]: f["problem"] for f in error.get("fields", [])}
            problem = problems.get(field, "")
            if not problem or "documented form" in problem or problem.startswith("Value error"):
                wrong.append(f"{what}: the field's problem is {problem!r}, not its rule in words")
            if pattern in error["message"] or _looks_like_a_regex(error["message"]):
                wrong.append(f"{what}: a regular expression in {error['message']!r}")
            if f"{field}: {problem}" not in error["message"]:
                wrong.append(f"{what}: the field and its rule are not in {error['message']!r}")
    assert not wrong, "\n".join(wrong)
