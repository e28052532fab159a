"""One check for a period in every service (issue 18 #20): wherever a read takes a period (a
report's `from` and `to`, the claims list's `filed_from` and `filed_to`), a period that ends
before it begins answers the same 422 `invalid_period` in the same words, naming the fields as
the caller wrote them; a one-day period is a period."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from claims.bootstrap import definition as claims_definition
from members.bootstrap import definition as members_definition
from outreach.bootstrap import definition as outreach_definition
from relief.bootstrap import definition as relief_definition
from union_events.apps import create_app
from union_events.service import ServiceDefinition
from union_events.settings import ServiceSettings
from union_events.testing.http import service_client

SERVICES: dict[str, Callable[[], ServiceDefinition]] = {
    "members": members_definition,
    "claims": claims_definition,
    "relief": relief_definition,
    "outreach": outreach_definition,
}
PAIRS = (("from", "to"), ("filed_from", "filed_to"))


def periods(service: str) -> list[tuple[str, str, str]]:
    """(path, first, last) of every GET of the service whose query takes a period."""
    document = create_app(SERVICES[service](), ServiceSettings()).openapi()
    found = []
    for path, item in document["paths"].items():
        names = {p["name"] for p in item.get("get", {}).get("parameters", []) if p["in"] == "query"}
        found += [(path, first, last) for first, last in PAIRS if {first, last} <= names]
    return found


@pytest.mark.parametrize("service", list(SERVICES))
async def test_a_period_that_ends_before_it_begins_is_the_same_422_in_the_same_words(
    service: str, nats_url: str, sqlite_url: str, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("MEMBERS_SECRET", "")
    monkeypatch.setenv("RELIEF_SECRET", "")
    monkeypatch.setenv("RELIEF_WEBHOOK_URL", "")
    settings = ServiceSettings(nats_url=nats_url, database_url=sqlite_url, union_data_dir=tmp_path)
    reads = periods(service)
    assert reads, f"{service} has a report over a period"
    async with service_client(SERVICES[service](), settings) as api:  # a city admin's token
        for path, first, last in reads:
            backwards = await api.get(path, params={first: "2026-06-02", last: "2026-06-01"})
            assert backwards.status_code == 422, (path, backwards.text)
            assert backwards.json()["error"] == {
                "code": "invalid_period",
                "message": (
                    f"the period ends before it begins: '{first}' 2026-06-02 is after "
                    f"'{last}' 2026-06-01"
                ),
            }, path
            one_day = await api.get(path, params={first: "2026-06-01", last: "2026-06-01"})
            assert one_day.status_code == 200, (path, one_day.text)
