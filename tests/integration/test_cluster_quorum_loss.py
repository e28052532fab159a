"""Two nodes of three lost: claims as a process on a 3-node JetStream cluster
(STREAM_REPLICAS=3), the node leading CLAIMS and one more SIGKILLed. Without a quorum the
stream cannot take a message; what the service does is what docs/operations.md says:

- it stays up and keeps accepting claims (its log is the outbox): `/readyz` still answers 200
  and says why nothing moves: its `stream` check names the stream as unknown or leaderless,
  and `relay_lag` counts what waits;
- nothing is lost: once the two nodes are back the relay publishes what waited, `relay_lag`
  returns to 0, CLAIMS holds each public event of the log once and its three replicas are
  current again.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
from claims.public import public_view
from nats.errors import Error as NatsError
from union_events import codec
from union_events.embedded import NatsCluster
from union_events.store import EventStore
from union_events.testing.jetstream import publish_event, stream_event_ids
from union_events.testing.processes import ServiceProcess, readiness, service_env
from union_events.testing.seeding import CITY_POOLED_RULES, waiting_claim
from union_events.testing.tokens import bearer
from union_events.testing.waiting import eventually

pytestmark = pytest.mark.timeout(180)

POINT = "zhoushan/dinghai/center"


async def public_ids(database_url: str) -> list[str]:
    """The ids of the events of claims' log its relay publishes, in log order."""
    store = await EventStore.open(database_url)
    try:
        rows = await store.read_log(0, limit=1_000_000)
    finally:
        await store.close()
    return [r.event_id for r in rows if public_view(r.stream_id, r.type, codec.loads(r.data_json))]


async def test_with_two_nodes_of_three_lost_claims_stays_up_says_why_and_loses_nothing(
    tmp_path: Path,
) -> None:
    cluster = NatsCluster(tmp_path / "nats")
    cluster.start()
    data = tmp_path / "data"
    database_url = f"sqlite+aiosqlite:///{data / 'claims.db'}"
    env = service_env("claims", data, cluster.urls, database_url) | {"STREAM_REPLICAS": "3"}
    claims = ServiceProcess("claims", env, tmp_path / "claims.log")
    client = httpx.AsyncClient(base_url=claims.url, headers=bearer(data), timeout=10)
    nc: Any = None
    try:
        await cluster.wait_ready()
        claims.start()

        async def checks() -> dict[str, Any] | None:
            answer = await readiness(client)
            return answer[1]["checks"] if answer is not None and answer[0] == 200 else None

        async def stream_says(expected: str) -> bool:
            found = await checks()
            return found is not None and found.get("stream") == expected

        await eventually(lambda: stream_says("CLAIMS R3, 3/3 current"), timeout=60)
        registered = "union.members.org.registered.v1"
        point = {"path": POINT, "name": "定海服务站", "level": "service_point",
                 "parent": "zhoushan/dinghai"}  # fmt: skip
        await publish_event(cluster.urls, "/union/members", f"org-{POINT}", registered, point)

        async def point_known() -> bool:
            return (await client.get(f"/orgs/{POINT}")).status_code == 200

        await eventually(point_known, timeout=30, message="claims heard of the service point")
        hospital = {"name": "舟山医院", "city": "zhoushan"}
        assert (await client.put("/hospitals/ZS-001", json=hospital)).status_code == 200
        plan = await client.put("/plans/inpatient/years/2026", json=CITY_POOLED_RULES)
        assert plan.status_code == 200
        for n in range(5):
            filed = await client.post("/claims", json=waiting_claim(f"QUORUM-{n:03d}", POINT))
            assert filed.status_code == 202, filed.text

        async def relay_idle() -> bool:
            found = await checks()
            return found is not None and found["relay_lag"] == "0"

        await eventually(relay_idle, timeout=30, message="published before the loss")

        nc = await nats.connect(servers=cluster.servers, reconnect_time_wait=0.2)
        js = nc.jetstream(timeout=2)
        leader = (await js.stream_info("CLAIMS")).cluster.leader
        lost = [leader, next(n for n in cluster.nodes if n != leader)]
        for node in lost:
            cluster.kill(node)

        # Up, accepting claims into its log, ready, and saying why nothing is published.
        for n in range(5, 15):
            filed = await client.post("/claims", json=waiting_claim(f"QUORUM-{n:03d}", POINT))
            assert filed.status_code == 202, filed.text
        assert (await client.get("/healthz")).status_code == 200

        async def says_why() -> dict[str, Any] | None:
            found = await checks()
            if found is None or int(found["relay_lag"]) == 0:
                return None
            stream = str(found.get("stream", ""))
            leaderless = stream.startswith("CLAIMS unknown") or stream.endswith("no leader")
            return found if leaderless and found["nats"] == "ok" else None

        during = await eventually(says_why, timeout=30, interval=0.3, message="/readyz says why")
        assert int(during["relay_lag"]) >= 10, during  # each claim filed waits, none dropped

        for node in lost:
            cluster.start_node(node)
        await eventually(relay_idle, timeout=60, interval=0.3, message="relay caught up")
        await eventually(lambda: stream_says("CLAIMS R3, 3/3 current"), timeout=60, interval=0.3)

        expected = await public_ids(database_url)

        async def stream_ids() -> list[str] | None:  # the meta leader may still be electing
            try:
                return await stream_event_ids(js, "CLAIMS")
            except (TimeoutError, NatsError):
                return None

        on_stream = await eventually(stream_ids, timeout=30, interval=0.3, message="CLAIMS read")
        assert Counter(on_stream) == Counter(expected), "CLAIMS lacks or repeats events"
        assert len(expected) >= 16  # the plan year and 15 claims filed at least
    except BaseException:
        print(claims.log_tail())
        raise
    finally:
        if nc is not None:
            with contextlib.suppress(Exception):
                await nc.close()
        await client.aclose()
        claims.stop()
        cluster.stop()
        await asyncio.sleep(0)
