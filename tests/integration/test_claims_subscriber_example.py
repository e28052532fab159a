"""The documented plain nats-py subscriber reads what the claims service really publishes."""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from pathlib import Path

import nats
import pytest
from claims.domain import codec
from claims.domain.events import ClaimPaid
from claims.public import public_view
from union_events.embedded import NatsServer
from union_events.events import NewEvent
from union_events.relay import Relay, StreamSpec, ensure_stream
from union_events.store import EventStore
from union_events.testing.jetstream import stream_messages

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "claims_subscriber.py"


@pytest.fixture
def nats_url(tmp_path):
    """A NATS of this test's own: its stream takes `union.claims.>`, which a claims service
    started by another test would hold already."""
    with NatsServer(store_dir=tmp_path / "nats") as server:
        yield server.url


def example():
    spec = importlib.util.spec_from_file_location("claims_subscriber", EXAMPLE)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


async def test_the_example_subscriber_reads_a_paid_claim(nats_url, tmp_path):
    from datetime import date

    store = await EventStore.open(f"sqlite:///{tmp_path / 'claims.db'}")
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    spec = StreamSpec("CLAIMSDOC", ("union.claims.>",))
    try:
        await ensure_stream(js, spec)
        paid = ClaimPaid(
            "zhoushan/shengsi/center",
            "zhoushan/shengsi",
            "zhoushan/dinghai",
            Decimal("3011.00"),
            date(2026, 5, 2),
            "m1",
            "inpatient",
            2026,
            Decimal("6230.00"),
            Decimal("3219.00"),
        )
        await store.append("claim-c1", 0, [NewEvent(*codec.encode(paid))])
        relay = Relay(store, js, source="/union/claims", stream=spec, public_view=public_view)
        await relay.publish_pending()
        [(_, body)] = await stream_messages(js, spec.name)
        facts = example().read_paid(body)
        assert facts["claim_id"] == "c1" and facts["benefit"] == Decimal("3011.00")
        assert (facts["paid_by"], facts["on_behalf_of"]) == ("zhoushan/shengsi", "zhoushan/dinghai")
    finally:
        await js.delete_stream(spec.name)
        await nc.close()
        await store.close()
