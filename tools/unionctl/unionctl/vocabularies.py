"""The catalogue of the platform's closed lists, made from the code (not a list kept by hand).

Each list comes from `union_events.published.vocabularies` (its values, in order, and the
comment written above its `Literal`), its Chinese labels from the console's catalogue
(`console.i18n.labels.VOCABULARY_LABELS`), and where it is an enum from the documents the
platform publishes: the event payloads of `union_events.published` (what the AsyncAPI documents
show as `data`) and each service's OpenAPI document (request and answer fields, parameters).

`unionctl vocabularies > docs/vocabularies.md` writes the catalogue; a test fails when the file
is stale.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from console.i18n.labels import VOCABULARY_LABELS
from union_events.published import claims, members, outreach, relief
from union_events.published import vocabularies as v

from unionctl.services import SERVICES

PUBLISHERS = {"members": members, "claims": claims, "relief": relief, "outreach": outreach}


@dataclass
class Vocabulary:
    name: str  # the key in `VOCABULARIES`, e.g. rejection_codes
    type_name: str  # the Literal, e.g. RejectionCode
    meaning: str
    values: tuple[str, ...]
    labels: dict[str, str]
    events: list[str] = field(default_factory=list)  # "union.claims.claim.rejected.v1 `code`"
    http: list[str] = field(default_factory=list)  # "claims `RejectIn.code`"


def _comments() -> dict[str, str]:
    """The comment written directly above each `Name = Literal[` in the vocabularies module."""
    found: dict[str, str] = {}
    above: list[str] = []
    for line in inspect.getsource(v).splitlines():
        if line.startswith("#"):
            above.append(line.lstrip("# ").strip())
            continue
        match = re.match(r"^(\w+) = Literal\[", line)
        if match:
            found[match.group(1)] = " ".join(above)
        if not line.startswith(" "):
            above = []
    return found


def _type_names() -> dict[str, str]:
    """`ROLES: tuple[Role, ...]` → {"ROLES": "Role"}."""
    source = inspect.getsource(v)
    return dict(re.findall(r"^(\w+): tuple\[(\w+), \.\.\.\]", source, flags=re.M))


def _enums(schema: Any, where: str) -> Iterator[tuple[str, tuple[str, ...]]]:
    """(place, values) of every enum of strings in a JSON schema, nested ones included."""
    if isinstance(schema, dict):
        if isinstance(schema.get("enum"), list) and all(isinstance(x, str) for x in schema["enum"]):
            yield where, tuple(schema["enum"])
        for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
            for part in schema.get(key, []):
                yield from _enums(part, where)
        if isinstance(schema.get("items"), dict):
            yield from _enums(schema["items"], where)
        for name, prop in (schema.get("properties") or {}).items():
            yield from _enums(prop, f"{where}.{name}" if where else name)


def _extras(values: tuple[str, ...], enum: tuple[str, ...]) -> str | None:
    """None when the enum is not this list; else "" (exactly it) or what it adds."""
    if not set(values) <= set(enum):
        return None
    more = [x for x in enum if x not in values]
    return " (+ " + ", ".join(f"`{x}`" for x in more) + ")" if more else ""


def _event_enums() -> list[tuple[str, tuple[str, ...]]]:
    found = []
    for module in PUBLISHERS.values():
        for payload in module.PUBLISHED:
            schema = payload.model_json_schema()
            defs = schema.get("$defs", {})
            for name, prop in schema.get("properties", {}).items():
                while "$ref" in prop:
                    prop = defs[prop["$ref"].rsplit("/", 1)[-1]]
                for place, enum in _enums(prop, name):
                    found.append((f"`{payload.event_type()}` `{place}`", enum))
    return found


def _http_enums() -> list[tuple[str, tuple[str, ...]]]:
    from union_events.apps import create_app
    from union_events.settings import ServiceSettings

    found = []
    for service in SERVICES:
        definition = importlib.import_module(f"{service}.bootstrap").definition
        document = create_app(definition(), ServiceSettings()).openapi()
        for name, schema in sorted(document["components"]["schemas"].items()):
            for place, enum in _enums(schema, name):
                found.append((f"{service} `{place}`", enum))
        for path, item in sorted(document["paths"].items()):
            for method, operation in item.items():
                for parameter in operation.get("parameters", []):
                    place = f"{method.upper()} {path} ?{parameter['name']}"
                    for _, enum in _enums(parameter.get("schema", {}), ""):
                        found.append((f"{service} `{place}`", enum))
    return found


def catalogue() -> list[Vocabulary]:
    comments, types = _comments(), _type_names()
    events, http = _event_enums(), _http_enums()
    listed = []
    for name, values in v.VOCABULARIES.items():
        type_name = types[name.upper()]
        vocabulary = Vocabulary(
            name, type_name, comments.get(type_name, ""), values, VOCABULARY_LABELS[name]
        )
        for places, target in ((events, vocabulary.events), (http, vocabulary.http)):
            for place, enum in places:
                extra = _extras(values, enum)
                if extra is not None and f"{place}{extra}" not in target:
                    target.append(f"{place}{extra}")
        listed.append(vocabulary)
    return listed


def markdown(vocabularies: list[Vocabulary]) -> str:
    lines = [
        "# Vocabularies",
        "",
        "The platform's closed lists, each defined once in",
        "`libs/events/union_events/published/vocabularies.py` (a `Literal` type: an enum in the",
        "OpenAPI and AsyncAPI documents) and used from there by the domain, the API schemas, the",
        "published events and the console's Chinese labels. Generated from the code by",
        "`unionctl vocabularies > docs/vocabularies.md` (a test fails when this file is stale;",
        "`tests/contracts/test_vocabularies.py` fails when a list gains a value somewhere without",
        "the others). `(+ x)` after a place: that enum is the list and `x` besides.",
        "",
        "Free text on purpose: an officer's words beside a rejection code (`RejectIn.reason`) or",
        "a return reason (`ReturnIn.reason`). A return reason is in no published event:",
        "`claim.returned` stays inside claims (it is not published).",
    ]
    for vocabulary in vocabularies:
        lines += ["", f"## {vocabulary.name} (`{vocabulary.type_name}`)", ""]
        if vocabulary.meaning:
            lines += [vocabulary.meaning, ""]
        lines += ["| value | 中文 |", "|---|---|"]
        lines += [f"| `{x}` | {vocabulary.labels[x]} |" for x in vocabulary.values]
        lines += [""]
        lines += ["Events (`data`): " + (", ".join(vocabulary.events) or "none") + "."]
        lines += [""]
        lines += ["HTTP (OpenAPI): " + (", ".join(vocabulary.http) or "none") + "."]
    return "\n".join(lines) + "\n"
