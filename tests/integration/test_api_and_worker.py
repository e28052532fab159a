"""A service as production runs it: an `api` process and a `worker` process (SERVICE_ROLE) of
claims on one SQLite file and one NATS server. The API process takes the commands and moves
nothing; the worker hears members' events, keeps the read models and publishes the log."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import httpx
import nats
import pytest
from nats.aio.msg import Msg
from union_events.embedded import NatsServer, credentials
from union_events.embedded.nats_auth import ADMIN
from union_events.metrics import parse
from union_events.testing.jetstream import publish_event
from union_events.testing.processes import ServiceProcess, readiness, service_env
from union_events.testing.seeding import CITY_POOLED_RULES, waiting_claim
from union_events.testing.tokens import bearer
from union_events.testing.waiting import eventually

pytestmark = pytest.mark.timeout(180)

POINT = "zhoushan/dinghai/center"
MEMBER_ENROLLED = "union.members.member.enrolled.v1"


async def published(client: httpx.AsyncClient) -> float:
    text = (await client.get("/metrics")).text
    found = {s.name: s.value for f in parse(text) for s in f.samples}
    return found.get("union_relay_published_messages_total", 0.0)


async def test_the_api_process_takes_commands_and_the_worker_moves_them_on(
    nats_url, tmp_path: Path
):
    env = service_env("claims", tmp_path / "data", nats_url, "")
    api = ServiceProcess("claims", env | {"SERVICE_ROLE": "api"}, tmp_path / "api.log").start()
    worker = ServiceProcess(
        "claims", env | {"SERVICE_ROLE": "worker"}, tmp_path / "worker.log"
    ).start()
    headers = bearer(tmp_path / "data")
    clients = [
        httpx.AsyncClient(base_url=p.url, headers=headers, timeout=10) for p in (api, worker)
    ]
    on_stream: list[str] = []
    nc = await nats.connect(nats_url)
    try:

        async def seen(msg: Msg) -> None:
            on_stream.append(msg.subject)

        await nc.subscribe("union.claims.>", cb=seen)

        async def both_ready() -> bool:
            answers = await asyncio.gather(*[readiness(c) for c in clients])
            return all(a is not None and a[0] == 200 for a in answers)

        await eventually(both_ready, timeout=120, message="claims' api and worker ready")
        roles = [(await readiness(c))[1]["checks"]["relay"] for c in clients]  # type: ignore[index]
        assert roles == ["worker", "active"]

        # members' events reach the worker only; the API process answers from what it wrote.
        data = {"path": POINT, "name": "定海服务站", "level": "service_point",
                "parent": "zhoushan/dinghai"}  # fmt: skip
        registered = "union.members.org.registered.v1"
        await publish_event(nats_url, "/union/members", f"org-{POINT}", registered, data)

        async def point_known() -> bool:
            return (await clients[0].get(f"/orgs/{POINT}")).status_code == 200

        await eventually(point_known, timeout=30, message="the worker noted the service point")
        hospital = {"name": "舟山医院", "city": "zhoushan"}
        assert (await clients[0].put("/hospitals/ZS-001", json=hospital)).status_code == 200
        rules = await clients[0].put("/plans/inpatient/years/2026", json=CITY_POOLED_RULES)
        assert rules.status_code == 200, rules.text
        claim = waiting_claim("SPLIT-00001", POINT)
        filed = await clients[0].post("/claims", json=claim)
        assert filed.status_code == 202, filed.text
        assert filed.json()["status"] == "awaiting_eligibility"
        claim["claim_id"] = filed.json()["claim_id"]

        # The enrolment is heard by the worker, which assesses the waiting claim.
        enrolment = {"member_id": claim["member_id"], "plan_id": "inpatient", "year": 2026,
                     "insuring_district": "zhoushan/dinghai", "on": "2026-01-05"}  # fmt: skip
        await publish_event(
            nats_url, "/union/members", f"member-{claim['member_id']}", MEMBER_ENROLLED, enrolment
        )

        async def assessed() -> bool:
            answer = await clients[0].get(f"/claims/{claim['claim_id']}")
            return answer.json()["status"] in ("assessed", "approved")

        await eventually(assessed, timeout=30, message="the worker assessed the claim")

        async def listed() -> bool:  # a read model the worker keeps, read by the API process
            answer = await clients[0].get("/claims", params={"member_id": claim["member_id"]})
            return answer.status_code == 200 and answer.json()["total"] == 1

        await eventually(listed, timeout=30, message="the claims list shows the claim")
        await eventually(
            lambda: any(t.endswith("claim.assessed.v1") for t in on_stream),
            timeout=30,
            message="the worker's relay published the assessment",
        )
        assert await published(clients[0]) == 0  # the API process published nothing
        assert await published(clients[1]) >= 3  # filed, eligibility awaited..., assessed
    finally:
        with contextlib.suppress(Exception):
            await nc.close()
        for client in clients:
            await client.aclose()
        for process in (api, worker):
            process.stop()
        print(api.log_tail(), worker.log_tail())


async def test_the_worker_follows_an_api_commit_at_once_not_at_its_next_poll(tmp_path: Path):
    """With the worker looking at the log only every 5 s (WORKER_POLL_S), what the API process
    takes is in the worker's read model, and on the stream, at once: the API process tells
    the worker (on a NATS subject of the service's own, which its NATS user may use). Four
    registrations 0.6 s apart, each listed within 2 s: a poll every 5 s could bring one."""
    users = credentials(tmp_path / "data")
    with NatsServer(store_dir=tmp_path / "nats", users=users) as server:
        user, password = users["claims"]
        env = service_env("claims", tmp_path / "data", server.url, "") | {
            "NATS_USER": user,
            "NATS_PASSWORD": password,
            "WORKER_POLL_S": "5",
        }
        api = ServiceProcess("claims", env | {"SERVICE_ROLE": "api"}, tmp_path / "a.log")
        worker = ServiceProcess("claims", env | {"SERVICE_ROLE": "worker"}, tmp_path / "w.log")
        api.start(), worker.start()
        admin, admin_password = users[ADMIN]
        nc = await nats.connect(server.url, user=admin, password=admin_password)
        client = httpx.AsyncClient(base_url=api.url, headers=bearer(tmp_path / "data"))
        try:
            on_stream: list[str] = []

            async def seen(msg: Msg) -> None:
                on_stream.append(msg.subject)

            await nc.subscribe("union.claims.>", cb=seen)
            for process in (api, worker):
                probe = httpx.AsyncClient(base_url=process.url)
                await eventually(
                    lambda p=probe: _ready(p), timeout=120, message="claims api and worker ready"
                )
                await probe.aclose()
            await asyncio.sleep(1.0)  # what start-up moved has moved
            for n in range(4):
                hospital = {"name": f"舟山医院{n}", "city": "zhoushan"}
                put = await client.put(f"/hospitals/ZS-00{n}", json=hospital)
                assert put.status_code == 200, put.text

                async def listed(count: int = n + 1) -> bool:
                    answer = await client.get("/hospitals")
                    return answer.status_code == 200 and answer.json()["total"] == count

                await eventually(
                    listed, timeout=2.0, message=f"hospital {n} listed within 2 s (polls: 5 s)"
                )
                await asyncio.sleep(0.6)
            year = await client.put("/plans/inpatient/years/2026", json=CITY_POOLED_RULES)
            assert year.status_code == 200, year.text
            await eventually(
                lambda: any(".plan_year.set." in s for s in on_stream),
                timeout=2.0,
                message="the plan year on the stream within 2 s (polls: 5 s)",
            )
        finally:
            await client.aclose()
            with contextlib.suppress(Exception):
                await nc.close()
            for process in (api, worker):
                process.stop()
            print(api.log_tail(), worker.log_tail())


async def _ready(client: httpx.AsyncClient) -> bool:
    answer = await readiness(client)
    return answer is not None and answer[0] == 200
