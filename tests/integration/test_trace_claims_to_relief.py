"""One trace from a clerk's `POST /claims` to relief's consumer of the claim's payment.

HTTP (claims) → append → relay → NATS → relief's consumer, in three services on one NATS.
The payment is a later request with a trace of its own: it joins the claim's trace (a
`pay claim` span there, linked both ways with the payment request), so the claim's whole
life, up to what other services make of it, is one trace.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from claims.bootstrap import definition as claims_definition
from members.bootstrap import definition as members_definition
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from relief.bootstrap import definition as relief_definition
from union_events.embedded import NatsServer
from union_events.settings import ServiceSettings
from union_events.telemetry import collecting
from union_events.testing.http import service_client
from union_events.testing.plans import claim, plan_rules
from union_events.testing.seeding import (
    city_orgs,
    enrol,
    plan_year_set,
    registered_member,
    seeded_city,
)
from union_events.testing.waiting import eventually

RULES = plan_rules(annual_cap="50000.00", deadline_days=90)
PAID = "union.claims.claim.paid.v1"
BORN = date(1980, 2, 2)


@pytest.fixture
def nats_url(tmp_path):
    with NatsServer(store_dir=tmp_path / "nats") as server:
        yield server.url


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    with collecting(SimpleSpanProcessor(exporter)):
        yield exporter


def hex_trace(span: ReadableSpan) -> str:
    assert span.context is not None
    return f"{span.context.trace_id:032x}"


async def test_the_trace_of_post_claims_reaches_reliefs_consumer_of_the_payment(
    nats_url, tmp_path, monkeypatch, spans
):
    monkeypatch.setenv("RELIEF_SECRET", "")
    monkeypatch.setenv("RELIEF_WEBHOOK_URL", "")
    extras = {"today": lambda: date(2026, 4, 28)}

    def settings(name: str) -> ServiceSettings:
        return ServiceSettings(nats_url=nats_url, union_data_dir=tmp_path / name)

    async with (
        service_client(members_definition(), settings("members"), extras) as members,
        service_client(claims_definition(), settings("claims"), extras) as claims,
        service_client(relief_definition(), settings("relief"), extras) as _relief,
    ):
        await seeded_city(members, claims, city_orgs("dinghai", "putuo"))
        member_id = await registered_member(members, 11, "zhoushan/dinghai/u1", born=BORN)
        await plan_year_set(claims, members, RULES)
        await enrol(members, member_id)
        filed = await claims.post(
            "/claims", json=claim(member_id, "zhoushan/putuo/center", "INV-T1", "6230.00")
        )
        assert filed.status_code == 202, filed.text
        claim_id = filed.json()["claim_id"]

        async def approved() -> bool:
            return (await claims.get(f"/claims/{claim_id}")).json()["status"] == "approved"

        await eventually(approved, timeout=20)
        paid = await claims.post(
            f"/claims/{claim_id}/payment", json={"service_point": "zhoushan/putuo/center"}
        )
        assert paid.status_code == 200, paid.text

        def relief_consumed_the_payment() -> ReadableSpan | None:
            return next(
                (
                    s
                    for s in spans.get_finished_spans()
                    if s.name == f"consume {PAID}"
                    and (s.attributes or {}).get("consumer") == "relief-claims"
                ),
                None,
            )

        consumed = await eventually(relief_consumed_the_payment, timeout=20)

    finished = spans.get_finished_spans()
    servers = {s.name: s for s in finished if s.kind is SpanKind.SERVER}
    post_claims = servers["POST /claims"]
    payment = servers["POST /claims/{claim_id}/payment"]
    assert consumed.kind is SpanKind.CONSUMER
    assert hex_trace(consumed) == hex_trace(post_claims)
    # The payment request has a trace of its own, linked with the claim's: both ways.
    assert hex_trace(payment) != hex_trace(post_claims)
    joined = next(s for s in finished if s.name == "pay claim")
    assert hex_trace(joined) == hex_trace(post_claims)
    assert [link.context.span_id for link in joined.links] == [payment.context.span_id]
    assert joined.context.span_id in [link.context.span_id for link in payment.links]
    assert consumed.parent is not None and consumed.parent.span_id == joined.context.span_id
