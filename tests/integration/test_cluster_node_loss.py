"""Node loss on the production topology: a 3-node JetStream cluster on loopback, members,
claims and relief as uvicorn processes with STREAM_REPLICAS=3 and NATS_URL naming all three
nodes. Under a load of claims (members registered and enrolled, claims filed, approved, paid),
SIGKILL the node that leads the CLAIMS stream. Then:

1. the platform goes on without it: claims filed after the kill, some for members enrolled
   after the kill, are paid while the node is down (with R1 streams they waited for it);
2. every claim filed reaches exactly one terminal state, none is paid twice;
3. each stream holds each public event of its service's log once (by Nats-Msg-Id), no dead
   letters; relief noted each `claim.paid` once;
4. the node, started again, catches up: its own copy of each stream ends at the leader's last
   sequence and the leader reports it current;
5. claims' `/readyz` (and so `unionctl status`) says "CLAIMS R3, 2/3 current" while the node is
   down and "3/3 current" once it caught up.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
import nats
import pytest
from nats.errors import Error as NatsError
from nats.js import JetStreamContext
from union_events.embedded import NatsCluster, free_port
from union_events.embedded._proc import die_with_parent, tail
from union_events.testing.jetstream import stream_messages
from union_events.testing.people import person
from union_events.testing.plans import TWO_TIERS, plan_rules
from union_events.testing.seeding import city_orgs
from union_events.testing.tokens import bearer
from union_events.testing.waiting import eventually

pytestmark = pytest.mark.timeout(180)

T = TypeVar("T")
SERVICES = ("members", "claims", "relief")
STREAMS = ("MEMBERS", "CLAIMS", "RELIEF")
DISTRICTS = ("dinghai", "putuo", "shengsi")
PAID = "union.claims.claim.paid.v1"
TERMINAL = {PAID, "union.claims.claim.rejected.v1"}
RULES = plan_rules(tiers=TWO_TIERS)
DURABLES = (
    ("MEMBERS", "claims-members"), ("MEMBERS", "relief-members"),
    ("CLAIMS", "members-claims"), ("CLAIMS", "relief-claims"),
)  # fmt: skip
SMALL, LARGE = "6230.00", "16000.00"  # approved at once; an officer decides
LEAD_IN_S = 2.0  # load before the kill


class Platform:
    """The cluster and the three services as processes."""

    def __init__(self, root: Path) -> None:
        self.data_dir, self.log_dir = root / "data", root / "logs"
        self.data_dir.mkdir(parents=True)
        self.log_dir.mkdir(parents=True)
        self.cluster = NatsCluster(root / "nats")
        self.ports = {name: free_port() for name in SERVICES}
        self.procs: dict[str, subprocess.Popen[bytes]] = {}

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def db_path(self, name: str) -> Path:
        return self.data_dir / f"{name}.db"

    def start(self, name: str) -> None:
        inherited = {
            k: v
            for k, v in os.environ.items()
            if not k.endswith("DATABASE_URL") and k not in ("NATS_USER", "NATS_PASSWORD")
        }
        env = inherited | {
            "NATS_URL": self.cluster.urls,  # all three nodes, comma-separated
            "STREAM_REPLICAS": "3",
            "UNION_DATA_DIR": str(self.data_dir),
            "SERVICE_NAME": name,
            "DATABASE_URL": f"sqlite+aiosqlite:///{self.db_path(name)}",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            "OTEL_TRACES_EXPORTER": "none",
        }
        command = [
            sys.executable, "-m", "uvicorn", f"{name}.main:app",
            "--host", "127.0.0.1", "--port", str(self.ports[name]), "--log-level", "warning",
        ]  # fmt: skip
        with open(self.log_dir / f"{name}.log", "ab") as log:
            self.procs[name] = subprocess.Popen(
                command,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=die_with_parent(),
            )

    def stop_all(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(15)
            if proc.poll() is None:
                proc.kill()
        self.cluster.stop()

    def logs(self) -> str:
        parts = [f"== {name}\n{tail(self.log_dir / f'{name}.log', 25)}" for name in SERVICES]
        nodes = [f"== nats {n}\n{tail(node.log_path, 8)}" for n, node in self.cluster.nodes.items()]
        return "\n".join(parts + nodes)


async def call(
    client: httpx.AsyncClient, method: str, path: str, body: Any = None
) -> httpx.Response:
    """The answer, retrying only what surely did not reach the service (it is never killed)."""
    for _ in range(300):
        try:
            return await client.request(method, path, json=body)
        except (httpx.ConnectError, httpx.ConnectTimeout):
            await asyncio.sleep(0.1)
    raise AssertionError(f"{method} {path}: no connection")


async def ready(client: httpx.AsyncClient) -> dict[str, Any] | None:
    try:
        response = await client.get("/readyz", timeout=3.0)
    except httpx.TransportError:
        return None
    return response.json() if response.status_code == 200 else None


@dataclass
class Ledger:
    members: list[str] = field(default_factory=list)
    fresh: set[str] = field(default_factory=set)  # members registered after the kill
    filed: dict[str, float] = field(default_factory=dict)  # claim id -> when it was filed
    paid_at: dict[str, float] = field(default_factory=dict)  # claim id -> when we saw paid
    paid_200: Counter[str] = field(default_factory=Counter)
    claim_member: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


class Load:
    def __init__(self, c: dict[str, httpx.AsyncClient], ledger: Ledger) -> None:
        self.c, self.ledger = c, ledger
        self.stop = asyncio.Event()
        self.killed_at: float | None = None
        self.n = 0
        self.people = 0
        self.rng = random.Random(13)

    async def seed(self, people: int) -> None:
        for path, level in city_orgs(*DISTRICTS):
            response = await call(
                self.c["members"], "POST", "/orgs", {"path": path, "name": path, "level": level}
            )
            assert response.status_code == 201, response.text
        response = await call(self.c["claims"], "PUT", "/plans/inpatient/years/2026", RULES)
        assert response.status_code == 200, response.text
        hospital = {"name": "舟山医院", "city": "zhoushan"}
        assert (await call(self.c["claims"], "PUT", "/hospitals/ZS-001", hospital)).is_success

        async def plan_year_known() -> bool:  # members hears claims' plan years over NATS
            answer = await call(self.c["members"], "GET", "/plan-years/inpatient/2026")
            return answer.status_code == 200

        await eventually(plan_year_known, timeout=30, message="members heard the plan year")
        for _ in range(people):
            self.ledger.members.append(await self.new_member())

    async def new_member(self) -> str:
        n = self.people
        self.people += 1
        unit = f"zhoushan/{DISTRICTS[n % 3]}/u1"
        body = person(n + 1, unit, name=f"会员{n}", phone="13600000000")
        created = await call(self.c["members"], "POST", "/members", body)
        assert created.status_code == 201, created.text
        member_id = str(created.json()["member_id"])
        enrol = {"plan_id": "inpatient", "year": 2026}
        enrolled = await call(self.c["members"], "POST", f"/members/{member_id}/enrolments", enrol)
        assert enrolled.status_code == 201, enrolled.text
        return member_id

    async def worker(self) -> None:
        while not self.stop.is_set():
            try:
                await self.one_claim()
            except Exception as exc:  # reported; the load goes on
                self.ledger.errors.append(f"{type(exc).__name__}: {exc}")
                await asyncio.sleep(0.2)

    async def one_claim(self) -> None:
        n = self.n
        self.n += 1
        if n % 3 == 2:  # a member enrolled just now: claims must hear it over MEMBERS
            member_id = await self.new_member()
            if self.killed_at is not None:
                self.ledger.fresh.add(member_id)
        else:
            member_id = self.rng.choice(self.ledger.members)
        amount = LARGE if n % 4 == 0 else SMALL
        body = {
            "member_id": member_id,
            "service_point": f"zhoushan/{DISTRICTS[n % 3]}/center",
            "plan_id": "inpatient",
            "admitted_on": "2026-03-01",
            "discharged_on": "2026-03-10",
            "invoices": [{"hospital": "ZS-001", "number": f"NODE-{n:05d}", "amount": amount,
                          "issued_on": "2026-03-10"}],
        }  # fmt: skip
        response = await call(self.c["claims"], "POST", "/claims", body)
        if response.status_code != 202:
            self.ledger.errors.append(f"filing: {response.status_code} {response.text}")
            return
        claim_id = str(response.json()["claim_id"])
        self.ledger.filed[claim_id] = time.monotonic()
        self.ledger.claim_member[claim_id] = member_id
        await self.see_through(claim_id, reject=n % 12 == 0, within_s=20)

    async def see_through(self, claim_id: str, reject: bool, within_s: float) -> None:
        """An officer decides what waits for one, a clerk pays what is approved."""
        deadline = time.monotonic() + within_s
        while time.monotonic() < deadline:
            status = (await call(self.c["claims"], "GET", f"/claims/{claim_id}")).json()["status"]
            if status == "paid":
                self.ledger.paid_at.setdefault(claim_id, time.monotonic())
                return
            if status == "rejected":
                return
            if status == "assessed":
                action = "reject" if reject else "approve"
                reason = {"reason": "发票为复印件", "code": "invalid_document"}
                await call(
                    self.c["claims"], "POST", f"/claims/{claim_id}/{action}",
                    reason if reject else None,
                )  # fmt: skip
            elif status == "approved":
                paid = await call(
                    self.c["claims"], "POST", f"/claims/{claim_id}/payment",
                    {"service_point": "zhoushan/putuo/center"},
                )  # fmt: skip
                if paid.status_code == 200:
                    self.ledger.paid_200[claim_id] += 1
                elif paid.json()["error"]["code"] not in ("already_paid", "concurrent_change"):
                    self.ledger.errors.append(f"paying {claim_id}: {paid.text}")
            else:
                await asyncio.sleep(0.1)  # awaiting the enrolment over NATS


async def stream_check(client: httpx.AsyncClient, expected: str) -> bool:
    """The service's `/readyz` reports its stream's replicas so (as `unionctl status` shows)."""
    body = await ready(client)
    return body is not None and body["checks"].get("stream") == expected


def read_db(path: Path, query: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        return list(conn.execute(query))
    finally:
        conn.close()


def public_event_ids(service: str, path: Path) -> list[str]:
    """The ids of the events of `service`'s log its relay publishes (its public view)."""
    module = __import__(f"{service}.bootstrap", fromlist=["definition"])
    view = module.definition().public_view
    return [
        event_id
        for event_id, stream_id, event_type, data in read_db(
            path, "SELECT event_id, stream_id, type, data FROM events"
        )
        if view is None or view(stream_id, event_type, json.loads(data)) is not None
    ]


async def settled(platform: Platform, clients: dict[str, httpx.AsyncClient]) -> bool:
    """Relay and consumer lags 0 in every service, and every claim filed terminal."""
    for name in SERVICES:
        body = await ready(clients[name])
        if body is None or body["checks"].get("relay_lag") != "0":
            return False
        if any(lag != 0 for lag in body["checks"].get("consumer_lag", {}).values()):
            return False
    return all(types & TERMINAL for types in claim_events(platform).values())


def claim_events(platform: Platform) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for stream_id, event_type in read_db(
        platform.db_path("claims"),
        "SELECT stream_id, type FROM events WHERE stream_id LIKE 'claim-%'",
    ):
        found[stream_id.removeprefix("claim-")].add(event_type)
    return found


async def answer(request: Callable[[], Awaitable[T]]) -> T:
    """A JetStream API answer, asked again while our own connection moves to another node."""
    for _ in range(100):
        try:
            return await request()
        except (TimeoutError, NatsError):
            await asyncio.sleep(0.2)
    raise AssertionError("JetStream did not answer")


async def caught_up(cluster: NatsCluster, js: JetStreamContext, node: str) -> bool:
    """`node`'s own copy of each stream ends where the leader's does, and the leader says
    that replica is current."""
    for stream in (*STREAMS, *(f"DLQ_{s}" for s in STREAMS)):
        info = await answer(lambda s=stream: js.stream_info(s))
        local = cluster.local_stream_state(node, stream)
        if local is None or local["state"]["last_seq"] != info.state.last_seq:
            return False
        peers = {p.name: p for p in (info.cluster.replicas or [])} if info.cluster else {}
        if info.cluster is None or (info.cluster.leader != node and not peers[node].current):
            return False
    return True


async def test_sigkill_of_the_node_leading_claims_stops_nothing_and_it_catches_up_after(
    tmp_path: Path,
) -> None:
    started = time.monotonic()
    timeline: list[str] = []

    def mark(what: str) -> None:
        timeline.append(f"{time.monotonic() - started:6.1f}s {what}")

    platform = Platform(tmp_path)
    headers = bearer(platform.data_dir, "city_admin", "zhoushan")  # creates the key pair
    clients = {
        name: httpx.AsyncClient(
            base_url=platform.url(name), headers=headers, timeout=10.0, trust_env=False
        )
        for name in SERVICES
    }
    ledger = Ledger()
    nc: nats.aio.client.Client | None = None
    try:
        platform.cluster.start()
        await platform.cluster.wait_ready()
        mark("cluster ready")
        for name in SERVICES:
            platform.start(name)
        for name in SERVICES:
            await eventually(
                lambda c=clients[name]: ready(c), timeout=60, interval=0.1, message=f"{name} ready"
            )
        mark("services ready")
        nc = await nats.connect(servers=platform.cluster.servers, reconnect_time_wait=0.2)
        js = nc.jetstream(timeout=2)
        for stream in (*STREAMS, *(f"DLQ_{s}" for s in STREAMS)):
            assert (await js.stream_info(stream)).config.num_replicas == 3, stream
        for stream, durable in DURABLES:
            consumer = await js.consumer_info(stream, durable)  # as many as its stream
            assert consumer.cluster and len(consumer.cluster.replicas or []) == 2, durable
        load = Load(clients, ledger)
        await load.seed(people=9)
        mark("seeded")

        workers = [asyncio.create_task(load.worker()) for _ in range(3)]
        try:
            await asyncio.sleep(LEAD_IN_S)
            leader = (await js.stream_info("CLAIMS")).cluster.leader
            members_leader = (await js.stream_info("MEMBERS")).cluster.leader
            platform.cluster.kill(leader)
            load.killed_at = killed_at = time.monotonic()
            mark(f"SIGKILL {leader}, the CLAIMS leader (MEMBERS led by {members_leader})")

            def paid_since_kill() -> list[str]:
                return [c for c, t in ledger.filed.items() if t > killed_at and c in ledger.paid_at]

            def went_on() -> bool:  # claims filed after the kill paid, some of fresh members
                paid = paid_since_kill()
                fresh = [c for c in paid if ledger.claim_member[c] in ledger.fresh]
                return len(paid) >= 6 and len(fresh) >= 2

            await eventually(
                went_on, timeout=40, interval=0.2, message="claims paid with one node of three down"
            )
            mark(f"{len(paid_since_kill())} claims filed after the kill paid, node still down")
            new_leader = (await answer(lambda: js.stream_info("CLAIMS"))).cluster.leader
            assert new_leader != leader
            await eventually(
                lambda: stream_check(clients["claims"], "CLAIMS R3, 2/3 current"),
                timeout=30,
                interval=0.3,
                message="/readyz: a replica down",
            )
        finally:
            load.stop.set()
            await asyncio.gather(*workers)
        mark(f"load stopped: {len(ledger.filed)} claims filed")

        platform.cluster.start_node(leader)
        mark(f"{leader} started again")
        await eventually(
            lambda: caught_up(platform.cluster, js, leader),
            timeout=40,
            interval=0.3,
            message=f"{leader} caught up",
        )
        await eventually(
            lambda: stream_check(clients["claims"], "CLAIMS R3, 3/3 current"),
            timeout=30,
            interval=0.3,
            message="/readyz: every replica current",
        )
        mark(f"{leader} caught up")

        # Whatever the load left open (its per-claim patience ran out), finish it.
        for claim_id, types in claim_events(platform).items():
            if not types & TERMINAL:
                await load.see_through(claim_id, reject=False, within_s=60)
        await eventually(
            lambda: settled(platform, clients), timeout=60, interval=0.3, message="settled"
        )
        mark("settled")

        # ---- every claim filed reaches exactly one terminal state; none is paid twice
        by_claim: dict[str, list[str]] = defaultdict(list)
        for stream_id, event_type in read_db(
            platform.db_path("claims"),
            "SELECT stream_id, type FROM events WHERE stream_id LIKE 'claim-%' ORDER BY position",
        ):
            by_claim[stream_id.removeprefix("claim-")].append(event_type)
        assert set(by_claim) == set(ledger.filed)
        for claim_id, types in by_claim.items():
            assert len([t for t in types if t in TERMINAL]) == 1, (claim_id, types)
            assert types[-1] in TERMINAL, (claim_id, types)
        assert all(n == 1 for n in ledger.paid_200.values()), ledger.paid_200.most_common(3)
        paid_in_log = {c for c, types in by_claim.items() if PAID in types}

        # ---- each stream holds each public event once; no dead letters
        for name in SERVICES:
            messages = await stream_messages(js, name.upper())
            ids = Counter(headers.get("Nats-Msg-Id", "") for headers, _ in messages)
            doubled = [i for i, n in ids.items() if n > 1]
            assert not doubled, f"{name.upper()} holds {len(doubled)} events twice"
            assert set(ids) == set(public_event_ids(name, platform.db_path(name))), name
            assert all(json.loads(body)["id"] == h["Nats-Msg-Id"] for h, body in messages)
            dead = await stream_messages(js, f"DLQ_{name.upper()}")
            assert not dead, (name, [h for h, _ in dead][:3])
            if name == "claims":
                on_wire = Counter(
                    json.loads(body)["data"]["claim_id"]
                    for _, body in messages
                    if json.loads(body)["type"] == PAID
                )
                assert set(on_wire) == paid_in_log and max(on_wire.values()) == 1

        # ---- relief heard each claim.paid once: one out-of-pocket note per paid claim
        noted = Counter(
            json.loads(data)["claim_id"]
            for (data,) in read_db(
                platform.db_path("relief"),
                "SELECT data FROM events WHERE type = 'union.relief.illness.cost_noted.v1'",
            )
        )
        assert set(noted) == paid_in_log and max(noted.values()) == 1, noted.most_common(3)
        assert not ledger.errors, ledger.errors[:10]
        mark(f"checked: {len(by_claim)} claims, {len(paid_in_log)} paid")
    except BaseException:
        print(platform.logs())
        raise
    finally:
        print("\n".join(timeline))
        if nc is not None:
            await nc.close()
        for client in clients.values():
            await client.aclose()
        platform.stop_all()
