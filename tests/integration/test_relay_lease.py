"""One active relay per service: three replicas of claims as processes on one PostgreSQL
database and one NATS server. One relay publishes, the others stand by; SIGKILL the active
one while claims are filed, another takes the lease within 10 s, no event is lost, and the
re-sends (published again, dropped by JetStream's de-duplication) are counted and reported.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
from claims.public import public_view
from union_events import codec
from union_events.embedded import NatsServer, free_port
from union_events.metrics import parse
from union_events.store import EventStore
from union_events.testing.jetstream import publish_event, stream_event_ids
from union_events.testing.processes import ServiceProcess, readiness, service_env
from union_events.testing.seeding import CITY_POOLED_RULES, waiting_claim
from union_events.testing.tokens import bearer
from union_events.testing.waiting import eventually

pytestmark = pytest.mark.timeout(180)

POINT = "zhoushan/dinghai/center"
RULES = CITY_POOLED_RULES


def claim(n: int) -> dict[str, Any]:
    return waiting_claim(f"LEASE-{n:05d}", POINT)


async def roles(clients: list[httpx.AsyncClient]) -> list[str]:
    answers = await asyncio.gather(*[readiness(c) for c in clients])
    return [a[1]["checks"].get("relay", "?") if a else "down" for a in answers]


async def published_ids(database_url: str) -> list[str]:
    """The event ids of the log that claims publishes (its public view), in log order."""
    store = await EventStore.open(database_url)
    try:
        rows = await store.read_log(0, limit=1_000_000)
    finally:
        await store.close()
    return [r.event_id for r in rows if public_view(r.stream_id, r.type, codec.loads(r.data_json))]


async def relay_figures(client: httpx.AsyncClient) -> tuple[float, float]:
    """(messages acknowledged, of them duplicates) from a replica's /metrics."""
    text = (await client.get("/metrics")).text
    found = {s.name: s.value for f in parse(text) for s in f.samples}
    return found["union_relay_published_messages_total"], found["union_relay_duplicate_acks_total"]


async def test_one_relay_publishes_and_another_takes_over_when_it_is_killed(
    postgres_url, tmp_path: Path
):
    nats_server = NatsServer(store_dir=tmp_path / "nats", port=free_port())
    nats_server.start()
    env = service_env("claims", tmp_path / "data", nats_server.url, postgres_url)
    replicas = [
        ServiceProcess("claims", env, tmp_path / f"claims-{i}.log").start() for i in range(3)
    ]
    headers = bearer(tmp_path / "data")
    clients = [httpx.AsyncClient(base_url=r.url, headers=headers, timeout=10) for r in replicas]
    # Every publish attempt, the re-sends included: a plain subscriber sees them all, the
    # stream keeps one of each (Nats-Msg-Id de-duplication).
    nc = await nats.connect(nats_server.url)
    attempts: Counter[str] = Counter()

    async def seen(msg: Any) -> None:
        attempts[(msg.headers or {}).get("Nats-Msg-Id", "")] += 1

    await nc.subscribe("union.claims.>", cb=seen)
    try:

        async def all_ready() -> bool:
            answers = await asyncio.gather(*[readiness(c) for c in clients])
            return all(a is not None and a[0] == 200 for a in answers)

        await eventually(all_ready, timeout=180, message="three replicas of claims ready")

        async def one_active() -> bool:
            return sorted(await roles(clients)) == ["active", "standby", "standby"]

        await eventually(one_active, timeout=15, message="one active relay, two standing by")
        active = (await roles(clients)).index("active")
        survivors = [c for i, c in enumerate(clients) if i != active]

        # Claims knows the service point from members' event, the hospital and the plan.
        data = {"path": POINT, "name": "定海服务站", "level": "service_point",
                "parent": "zhoushan/dinghai"}  # fmt: skip
        registered = "union.members.org.registered.v1"
        await publish_event(nats_server.url, "/union/members", f"org-{POINT}", registered, data)

        async def point_known() -> bool:
            return (await clients[0].get(f"/orgs/{POINT}")).status_code == 200

        await eventually(point_known, timeout=30, message="claims heard of the service point")
        hospital = {"name": "舟山医院", "city": "zhoushan"}
        assert (await clients[1].put("/hospitals/ZS-001", json=hospital)).status_code == 200
        assert (await clients[2].put("/plans/inpatient/years/2026", json=RULES)).status_code == 200

        # Claims filed on every replica: the one active relay publishes each once.
        for n in range(30):
            answer = await clients[n % 3].post("/claims", json=claim(n))
            assert answer.status_code == 202, answer.text
        before = await published_ids(postgres_url)
        await eventually(lambda: all(attempts[i] for i in before), timeout=30, message="published")
        assert all(attempts[i] == 1 for i in before), "a standby relay published too"

        # Claims keep coming on the two standbys while the active replica is killed.
        stop = asyncio.Event()
        filed = [30]

        async def load() -> None:
            while not stop.is_set():
                n = filed[0]
                filed[0] += 1
                answer = await survivors[n % 2].post("/claims", json=claim(n))
                assert answer.status_code == 202, answer.text

        loader = asyncio.create_task(load())
        await eventually(lambda: filed[0] >= 60, timeout=30, message="claims under load")
        replicas[active].kill()
        killed_at = time.monotonic()

        async def taken_over() -> bool:
            return "active" in await roles(survivors)

        await eventually(taken_over, timeout=30, message="a standby took the lease")
        hand_over_s = time.monotonic() - killed_at
        await eventually(lambda: filed[0] >= 120, timeout=30, message="claims after the kill")
        stop.set()
        await loader

        # Every public event of the log is in the stream, once.
        expected = await published_ids(postgres_url)
        js = nc.jetstream()

        async def all_on_stream() -> bool:
            return (await js.stream_info("CLAIMS")).state.messages >= len(expected)

        await eventually(all_on_stream, timeout=60, message=f"{len(expected)} events on CLAIMS")
        on_stream = await stream_event_ids(js, "CLAIMS")
        await eventually(lambda: all(attempts[i] for i in expected), timeout=10)
        resent = {i: n - 1 for i, n in attempts.items() if n > 1}
        figures = [await relay_figures(c) for c in survivors]
        print(
            f"\nrelay lease, 3 replicas of claims on one PostgreSQL database: hand-over "
            f"{hand_over_s:.2f} s after SIGKILL of the active replica; {len(expected)} events "
            f"logged and stored once each; {sum(attempts.values())} publishes seen "
            f"({sum(resent.values())} re-sends of {len(resent)} events, dropped by "
            f"de-duplication); survivors' relays: acknowledged/duplicate {figures}"
        )
        assert hand_over_s <= 10.0, f"hand-over took {hand_over_s:.1f} s"
        assert Counter(on_stream) == Counter(expected), "the stream lacks or repeats events"
        assert set(attempts) == set(expected), "something published that the log lacks"
        assert sum(d for _, d in figures) == sum(resent.values()), "duplicate acks"
    finally:
        with contextlib.suppress(Exception):
            await nc.close()
        for client in clients:
            await client.aclose()
        for replica in replicas:
            replica.stop()
        logs = "\n".join(r.log_tail() for r in replicas)
        nats_server.stop()
        print(logs)
