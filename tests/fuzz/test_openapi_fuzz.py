"""Fuzz each service's HTTP API from its own OpenAPI document (schemathesis).

Each service runs in-process (its lifespan started, real NATS, SQLite in a temp dir) and every
operation gets generated requests, valid and invalid, carrying a city admin's bearer token.
Whatever the input, the service must never answer 5xx, and every answer must match what the
OpenAPI document declares: status code, content type and body schema (the contract's error
body `{"error": {"code", "message"}}` included). Bounded and derandomized, so CI is stable.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import schemathesis
from claims.bootstrap import definition as claims_definition
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from members.bootstrap import definition as members_definition
from outreach.bootstrap import definition as outreach_definition
from relief.bootstrap import definition as relief_definition
from schemathesis import Case
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from union_events.apps import create_app
from union_events.service import ServiceDefinition
from union_events.settings import ServiceSettings
from union_events.testing.tokens import bearer

from .seeds import SEEDS, Known

SERVICES: dict[str, Callable[[], ServiceDefinition]] = {
    "members": members_definition,
    "claims": claims_definition,
    "relief": relief_definition,
    "outreach": outreach_definition,
}
CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Per operation and generation mode: 12 keeps the four services' fuzzing near a minute of the
# suite's time (25 took about five); FUZZ_EXAMPLES raises it for a deeper run by hand.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
DATABASE = os.environ.get("FUZZ_DATABASE", "sqlite")
MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)


@pytest.fixture
def service_app(
    service: str, nats_url: str, tmp_path: Path, monkeypatch, request
) -> Iterator[object]:
    """The service's FastAPI app; schemathesis starts its lifespan on its own event loop.
    On SQLite; FUZZ_DATABASE=postgres fuzzes on PostgreSQL instead."""
    monkeypatch.setenv("MEMBERS_SECRET", "")
    monkeypatch.setenv("RELIEF_SECRET", "")
    monkeypatch.setenv("RELIEF_WEBHOOK_URL", "")
    settings_ = ServiceSettings(
        nats_url=nats_url,
        database_url=request.getfixturevalue(f"{DATABASE}_url"),
        union_data_dir=tmp_path,
    )
    app = create_app(SERVICES[service](), settings_)
    try:
        yield app
    finally:
        asgi.shutdown_lifespans()  # stops the runtime: NATS connection, relay, database


@st.composite
def naming_known(draw: st.DrawFn, cases: st.SearchStrategy[Case], known: Known) -> Case:
    """A generated case where, now and then, a parameter or body field names a seeded record."""
    case = draw(cases)
    body = case.body if isinstance(case.body, dict) else None
    for values in (case.path_parameters, case.query, body):
        for name in list(values or ()):
            if known.get(name) and draw(st.booleans()):
                values[name] = draw(st.sampled_from(known[name]))
    return case


# The service's background tasks (NATS client, consumers, relay) run on schemathesis's event
# loop thread and may use `random` while Hypothesis draws a case: harmless, but it warns.
@pytest.mark.filterwarnings("ignore:Do not use the `random` module inside strategies")
@pytest.mark.parametrize("service", list(SERVICES))
def test_no_input_makes_a_service_fail_or_break_its_openapi(
    service: str, service_app, tmp_path: Path, nats_url: str
) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", service_app)
    headers = bearer(tmp_path)  # a city admin of zhoushan
    with asgi.get_client(service_app) as client:
        client.headers.update(headers)
        known = SEEDS[service](client, nats_url)
    failures: list[str] = []
    answered: set[str] = set()  # operations whose success body was checked at least once
    started = time.monotonic()
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in MODES:

            @given(case=naming_known(operation.as_strategy(generation_mode=mode), known))
            @settings(
                max_examples=EXAMPLES,
                derandomize=True,
                database=None,
                deadline=None,
                phases=[Phase.explicit, Phase.generate, Phase.shrink],
                suppress_health_check=list(HealthCheck),
            )
            def fuzz(case: Case) -> None:
                note(case.as_curl_command())  # a 500 raises the app's own error, not a report
                response = case.call_and_validate(headers=headers, checks=CHECKS)
                if 200 <= response.status_code < 300:
                    answered.add(operation.label)  # noqa: B023 (called in this iteration)

            try:
                fuzz()
            except Unsatisfiable:  # no parameters or body to make invalid (GET /healthz)
                continue
            except (Exception, BaseExceptionGroup) as exc:  # report every operation's failure
                notes = "\n".join(getattr(exc, "__notes__", ()))
                failures.append(f"{operation.label} [{mode.value}]: {exc!r}\n{notes}")
    print(f"{service} fuzzed in {time.monotonic() - started:.1f} s")
    labels = [r.ok().label for r in schema.get_all_operations()]
    print(f"{service}: no success answer checked for", [x for x in labels if x not in answered])
    assert not failures, "\n\n".join(failures)
