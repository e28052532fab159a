"""The documented subscribers (docs/examples/, and README's snippet run as printed) read what the
claims service really publishes."""

from __future__ import annotations

import importlib.util
import json
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


def checked_example():
    path = EXAMPLE.with_name("checked_subscriber.py")
    spec = importlib.util.spec_from_file_location("checked_subscriber", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


async def served_claims_document() -> dict:
    """The AsyncAPI document as the claims service serves it (`GET /asyncapi.json`)."""
    import httpx
    from claims.bootstrap import definition
    from union_events.apps import create_app
    from union_events.settings import ServiceSettings

    app = create_app(definition(), ServiceSettings())
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://claims") as client:
        answer = await client.get("/asyncapi.json")
    assert answer.status_code == 200
    return answer.json()


async def test_the_checked_subscriber_takes_its_contract_from_the_served_asyncapi(
    nats_url, tmp_path
):
    """docs/examples/checked_subscriber.py: a paid claim off the wire passes the served
    document's schema for its channel; the same message with money as a number, or without
    its de-duplication header, does not."""
    import json
    from datetime import date

    kit = checked_example()
    contract = kit.Contract(await served_claims_document())
    assert "union.claims.claim.paid.v1" in contract.subjects
    store = await EventStore.open(f"sqlite:///{tmp_path / 'claims.db'}")
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    spec = StreamSpec("CLAIMSKIT", ("union.claims.>",))
    try:
        await ensure_stream(js, spec)
        paid = ClaimPaid(
            "zhoushan/shengsi/center", "zhoushan/shengsi", "zhoushan/dinghai",
            Decimal("3011.00"), date(2026, 5, 2), "m1", "inpatient", 2026,
            Decimal("6230.00"), Decimal("3219.00"),
        )  # fmt: skip
        await store.append("claim-c2", 0, [NewEvent(*codec.encode(paid))])
        relay = Relay(store, js, source="/union/claims", stream=spec, public_view=public_view)
        await relay.publish_pending()
        sent = await js.get_msg(spec.name, 1)
        headers = dict(sent.headers or {})
        assert contract.problems(sent.subject, headers, sent.data) == []
        facts = kit.paid_claim(json.loads(sent.data))
        assert (facts["claim_id"], facts["benefit"]) == ("c2", "3011.00")

        event = json.loads(sent.data)
        event["data"]["benefit"] = 3011.0  # a float, as a careless producer would send
        problems = contract.problems(sent.subject, headers, json.dumps(event).encode())
        assert any("benefit" in p for p in problems), problems
        unmarked = {k: v for k, v in headers.items() if k != "Nats-Msg-Id"}
        assert any("Nats-Msg-Id" in p for p in contract.problems(sent.subject, unmarked, sent.data))
        assert contract.problems("union.claims.claim.lost.v1", headers, sent.data)
    finally:
        await js.delete_stream(spec.name)
        await nc.close()
        await store.close()


ROOT = Path(__file__).parents[2]
PASSWORDS = {s: f"{s}-test" for s in ("members", "claims", "relief", "outreach", "subscriber")}


@pytest.fixture
def compose_nats(tmp_path, monkeypatch):
    """NATS as docker-compose runs it (deploy/compose/nats.conf: one user per service and the
    read-only `subscriber`), on a port and store of this test's own."""
    for name, password in PASSWORDS.items():
        monkeypatch.setenv(f"{name.upper()}_NATS_PASSWORD", password)
    conf = (ROOT / "deploy" / "compose" / "nats.conf").read_text()
    # The port and store are the command line's (`-p`, `-sd`); no monitoring port.
    drop = ("http_port", "store_dir")
    conf = "\n".join(x for x in conf.splitlines() if not x.strip().startswith(drop))
    (tmp_path / "nats.conf").write_text(conf)
    with NatsServer(store_dir=tmp_path / "nats", config_file=tmp_path / "nats.conf") as server:
        yield server


def readme_subscriber() -> str:
    """The code block of README's "How other systems subscribe to events", as printed there."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## How other systems subscribe to events", 1)[1].split("\n## ", 1)[0]
    [code] = [b.split("\n", 1)[1] for b in section.split("```")[1::2] if b.startswith("python")]
    return code


async def test_the_readme_subscriber_reads_what_the_claims_service_publishes(
    compose_nats, tmp_path
):
    """README's snippet, run as printed, as the NATS user `subscriber` (docker-compose's
    config): a durable pull consumer on CLAIMS reads the CloudEvent the claims service's relay
    published (as the `claims` user), acknowledges it; the subscriber may not publish events."""
    from datetime import date

    host = f"127.0.0.1:{compose_nats.port}"
    claims_url = f"nats://claims:{PASSWORDS['claims']}@{host}"
    store = await EventStore.open(f"sqlite:///{tmp_path / 'claims.db'}")
    nc = await nats.connect(claims_url)
    spec = StreamSpec.for_service("claims")  # CLAIMS on union.claims.>, as the service has it
    try:
        await ensure_stream(nc.jetstream(), spec)
        paid = ClaimPaid(
            "zhoushan/shengsi/center", "zhoushan/shengsi", "zhoushan/dinghai",
            Decimal("3011.00"), date(2026, 5, 2), "m1", "inpatient", 2026,
            Decimal("6230.00"), Decimal("3219.00"),
        )  # fmt: skip
        await store.append("claim-c3", 0, [NewEvent(*codec.encode(paid))])
        relay = Relay(
            store, nc.jetstream(), source="/union/claims", stream=spec, public_view=public_view
        )
        assert await relay.publish_pending() == 1

        code = readme_subscriber()
        handle = '    ...  # handle idempotently by event["id"]\n'
        assert handle in code, code
        body = "".join(f"    {line}\n" for line in code.replace(handle, "    seen.append(event)\n")
                       .splitlines())  # fmt: skip
        scope = {"nats": nats, "json": json, "url": f"nats://{host}", "seen": []}
        scope["pw"] = PASSWORDS["subscriber"]
        exec(f"async def subscribe():\n{body}", scope)
        await scope["subscribe"]()
        [event] = scope["seen"]
        assert (event["type"], event["subject"]) == ("union.claims.claim.paid.v1", "claim-c3")
        assert event["data"]["benefit"] == "3011.00" and event["specversion"] == "1.0"
        assert example().read_paid(json.dumps(event).encode())["claim_id"] == "c3"

        reader = await nats.connect(f"nats://{host}", user="subscriber", password=scope["pw"])
        try:
            info = await reader.jetstream().consumer_info("CLAIMS", "my-system")
            assert (info.num_pending, info.num_ack_pending, info.ack_floor.stream_seq) == (0, 0, 1)
            with pytest.raises(Exception):  # noqa: B017 - refused by the server, any way it says
                await reader.jetstream().publish("union.claims.claim.paid.v1", b"{}", timeout=2)
        finally:
            await reader.close()
        assert (await nc.jetstream().stream_info("CLAIMS")).state.messages == 1
    finally:
        await nc.close()
        await store.close()
