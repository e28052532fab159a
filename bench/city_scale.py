"""A city at scale: N members with enrolments and N paid claims in the logs, then what a clerk,
an officer and an operator notice.

    .venv/bin/python bench/city_scale.py [--members 1000000] [--claims N]
                                         [--backends sqlite,postgresql]

For each backend: loads the members and claims logs in-process through the stores' batch path
(`EventStore.append_batch`), the events decided and encoded by the services' own domain and
codec functions (members' QR sign-up handler, `decide_enrol`; claims' `decide_file`,
`decide_eligibility`, `decide_pay`, and the facts its consumer notes), so the projections
fold them as they fold the services' own; rebuilds every projection of both services from
the log (timed, with the progress bar `unionctl replay` shows); then runs members and claims
as uvicorn processes on that history (an embedded nats-server) and measures filing and
payment latency (the same fixed rate on an empty city first), the claims report and the
settlement for a year, a member's claims page, the members list of a unit, database size and
memory. See bench/README.md and docs/scale.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from client import Client, ClientError  # bench/client.py: aiohttp, not httpx (see there)
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import text
from union_events.appending import AppendRequest
from union_events.commands import derived_event_id
from union_events.db import write_transaction
from union_events.embedded import (
    NatsServer,
    PostgresProvider,
    create_database,
    drop_database,
    free_port,
    unique_database_name,
)
from union_events.events import EventContext, NewEvent
from union_events.projections import Projection, rebuild
from union_events.published.claims import PlanYearSet
from union_events.store import EventStore
from union_events.testing.plans import TWO_TIERS, plan_rules
from union_events.testing.tokens import bearer

BACKENDS = ("sqlite", "postgresql")
CITY = "zhoushan"  # the test tokens' city (union_events.testing.tokens)
DISTRICTS = 16  # as Shanghai's
UNIT_SIZE = 200  # members per unit (基层工会)
PLAN, YEAR = "inpatient", 2026
RULES: dict[str, Any] = plan_rules(tiers=TWO_TIERS, major_diseases=[])  # PUT /plans/…/years/…
HOSPITAL = "ZS-001"
JOINED = date(2026, 1, 2)
SIGNUP_CHUNK = 2000  # people per sign-up batch (3 events each, and the campaign's)
CLAIM_CHUNK = 1500  # claims per append_batch (6 events each: under the store's 10,000 a group)


def district(d: int) -> str:
    return f"{CITY}/d{d:02d}"


def center(d: int) -> str:
    return f"{district(d)}/center"


def unit(u: int) -> str:
    return f"{district(u % DISTRICTS)}/u{u:05d}"


@dataclass
class Figures:
    """What one city on one backend measured."""

    backend: str
    members: int
    claims: int
    rows: dict[str, str] = field(default_factory=dict)  # label -> figure, in order

    def add(self, label: str, value: str) -> None:
        self.rows[label] = value


@dataclass
class Loaded:
    members: list[tuple[str, int]]  # (member id, district number)
    units: int
    events: dict[str, int]  # service -> log head
    claims_cpu: float = 0.0  # CPU seconds of the claims side's process


# -- loading -------------------------------------------------------------------------------
#
# Two processes, one per log (each SQLite file has one writer): this one signs members up
# and enrols them in members' log, and hands each chunk's members (their ids, districts and
# the events claims' consumer would hear) to a second process, which notes them in claims'
# log and files and pays their claims there, meanwhile. So the two services' loading runs on
# two cores at once, each through its own store's batch path.

NoticedMember = tuple[str, int, str, str, str]  # id, district number, registered, enrolled ids,
# insuring district


async def load_city(
    urls: dict[str, str], data_dir: Path, n_members: int, n_claims: int, console: Console
) -> Loaded:
    """Both logs, written through the stores' batch path; the read models left empty (the
    rebuild that follows fills them); the relays' checkpoints at the head (history counts as
    published: the services start without republishing it)."""
    from claims.api.schemas import RulesIn
    from claims.app import registry as claims_registry
    from claims.app.handlers import Claims, set_rules
    from claims.bootstrap import definition as claims_definition
    from members.app import aggregates as agg
    from members.app.handlers import Members, register_org
    from members.app.plan_years import hear_plan_year
    from members.app.signups import open_campaign
    from members.bootstrap import definition as members_definition
    from members.privacy import KeyVault, Secrets
    from members.settings import MembersSettings
    from union_events.projections import create_read_models

    stores = {name: await EventStore.open(url) for name, url in urls.items()}
    try:
        for name, definition in (
            ("members", members_definition()),
            ("claims", claims_definition()),
        ):
            await create_read_models(
                stores[name].engine, definition.metadata, definition.projections
            )
        secrets = Secrets.load(data_dir, MembersSettings().secret)
        vault = KeyVault(stores["members"].engine, secrets)
        await vault.create()
        m = Members(stores["members"], vault, secrets)
        c = Claims(stores["claims"], today=lambda: date(2026, 1, 2))
        ctx = EventContext(correlation_id="city-scale", actor="bench-loader")
        units = max(DISTRICTS, -(-n_members // UNIT_SIZE))
        orgs = [(CITY, "city")]
        for d in range(DISTRICTS):
            orgs += [(district(d), "district"), (center(d), "service_point")]
        orgs += [(unit(u), "unit") for u in range(units)]
        t0 = time.perf_counter()
        for path, level in orgs:
            await register_org(m, path, path, level, ctx)
        registered = await m.store.read_streams([agg.org_stream(p) for p, _ in orgs])
        async with write_transaction(c.store.engine) as conn:  # as claims' consumer notes them
            for path, _ in orgs:
                event = registered[agg.org_stream(path)][0]
                await claims_registry.note_org(c.store, conn, event.id, dict(event.data), ctx)
        await set_rules(c, RulesIn.model_validate(RULES).rules(PLAN, YEAR), ctx)
        async with write_transaction(m.store.engine) as conn:  # members hears the plan year
            await hear_plan_year(
                m.store, conn, "city-scale-plan", ctx, PlanYearSet(plan_id=PLAN, year=YEAR)
            )
        await claims_registry.set_hospital(
            c.store, HOSPITAL, name="舟山医院", city=CITY, district=None, ctx=ctx
        )
        for d in range(DISTRICTS):
            await open_campaign(
                m, f"qr-d{d:02d}", district(d), "扫码入会", 100, 1000, 10000, JOINED, ctx
            )
        console.log(
            f"registry: {len(orgs):,} orgs, plan year, hospital in {time.perf_counter() - t0:.1f}s"
        )
        await stores.pop("claims").close()  # claims' log is the other process's from here
        spawn = multiprocessing.get_context("spawn")
        chunks: Any = spawn.Queue(maxsize=4)  # members' chunks, the claims side behind by few
        answer: Any = spawn.Queue()
        done: Any = spawn.Value("q", 0)  # claims loaded so far
        worker = spawn.Process(
            target=claims_side,
            args=(urls["claims"], n_members, n_claims, chunks, done, answer),
            name="city-scale-claims",
        )
        worker.start()
        try:
            members = await load_members(m, n_members, n_claims, units, ctx, console, chunks, done)
            claims_head, claims_cpu = answer.get()
            worker.join()
        finally:
            if worker.is_alive():
                worker.terminate()
                worker.join()
        if worker.exitcode != 0:
            raise RuntimeError(f"the claims side failed (exit code {worker.exitcode})")
        events = {"members": await m.store.head_position(), "claims": claims_head}
        await m.store.set_checkpoint("relay", events["members"])
        return Loaded(members, units, events, claims_cpu)
    finally:
        for store in stores.values():
            await store.close()


def _bar(console: Console) -> Progress:
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    return Progress(*columns, TimeElapsedColumn(), console=console, transient=False)


async def load_members(
    m: Any,
    n: int,
    n_claims: int,
    units: int,
    ctx: EventContext,
    console: Console,
    chunks: Any,
    done: Any,
) -> list[tuple[str, int]]:
    """Sign-ups through members' QR sign-up handler (it appends each batch with
    `append_batch`), then each member enrolled (`decide_enrol`, one `append_batch` a chunk);
    each chunk's members handed to the claims side (`chunks`), which notes what claims'
    consumer notes of them (a member, an enrolment) and files their claims."""
    from members.app import aggregates as agg
    from members.app.handlers import find_plan_year
    from members.app.signups import sign_up
    from members.domain.member import decide_enrol
    from members.domain.national_id import make_national_id
    from members.privacy import PersonalData

    plan_year = await find_plan_year(m.store, PLAN, YEAR)
    members: list[tuple[str, int]] = []
    started = time.perf_counter()
    with _bar(console) as progress:
        task = progress.add_task("loading members + enrolments", total=n)
        claims_task = progress.add_task("loading paid claims (the other process)", total=n_claims)
        for first in range(0, n, SIGNUP_CHUNK):
            indexes = range(first, min(n, first + SIGNUP_CHUNK))
            # Member i is in unit i // UNIT_SIZE (a unit's members join together).
            people = [
                (
                    PersonalData(
                        f"会员{i}", make_national_id("310101", date(1985, 6, 1), i), "13800000000"
                    ),
                    unit(i // UNIT_SIZE % units),
                )
                for i in indexes
            ]
            d = (first // UNIT_SIZE % units) % DISTRICTS
            result = await sign_up(m, f"qr-d{d:02d}", people, JOINED, ctx)
            assert not result.rejected and not result.duplicates, result.rejected[:3]
            ids = [member_id for _, member_id, _ in result.accepted]
            found = await m.store.read_streams([agg.member_stream(i) for i in ids])
            enrol: list[AppendRequest] = []
            noticed: list[NoticedMember] = []
            for member_id in ids:
                history = found[agg.member_stream(member_id)]
                state = agg.members.initial()
                for recorded in history:
                    state = agg.members.evolve(
                        state, agg.members.decode(recorded.type, recorded.data)
                    )
                decided = decide_enrol(
                    state, plan_id=PLAN, year=YEAR, today=JOINED, plan_year=plan_year
                )
                enrolled = tuple(NewEvent(*agg.members.encode(e), context=ctx) for e in decided)
                enrol.append(AppendRequest(agg.member_stream(member_id), len(history), enrolled))
                assert state.district is not None  # registered in a unit of a district
                number = int(state.district.rsplit("/d", 1)[1])
                noticed.append((member_id, number, history[0].id, enrolled[0].id, state.district))
                members.append((member_id, number))
            await m.store.append_batch(enrol)
            chunks.put(noticed)  # blocks while the claims side is a few chunks behind
            progress.update(task, completed=len(members))
            progress.update(claims_task, completed=done.value)
        chunks.put(None)
        took = time.perf_counter() - started
        while done.value < n_claims and multiprocessing.active_children():
            progress.update(claims_task, completed=done.value)
            await asyncio.sleep(0.5)
        progress.update(claims_task, completed=done.value)
    console.log(f"members: {n:,} signed up and enrolled in {took:.0f}s ({n / took:,.0f}/s)")
    return members


def claims_side(
    url: str, n_members: int, n_claims: int, chunks: Any, done: Any, answer: Any
) -> None:
    """The claims log's loader, in a process of its own: (head position, CPU seconds)."""
    cpu0 = time.process_time()
    head = asyncio.run(_claims_side(url, n_members, n_claims, chunks, done))
    answer.put((head, time.process_time() - cpu0))


async def _claims_side(url: str, n_members: int, n_claims: int, chunks: Any, done: Any) -> int:
    from claims.app import facts
    from claims.app.handlers import load_rules
    from claims.consumers.members import MEMBER_NOTED

    store = await EventStore.open(url)
    try:
        rules = await load_rules(store, PLAN, YEAR)
        ctx = EventContext(correlation_id="city-scale", actor="bench-loader")
        members: list[tuple[str, int]] = []
        usage: dict[str, tuple[int, Decimal]] = {}  # member id -> (usage version, used)
        filed = 0
        while (chunk := await asyncio.to_thread(chunks.get)) is not None:
            noted = []
            for member_id, d, registered_id, enrolled_id, insuring in chunk:
                stream = facts.member_stream(member_id)
                heard = EventContext(ctx.correlation_id, registered_id, actor="service:claims")
                enrolment = EventContext(ctx.correlation_id, enrolled_id, actor="service:claims")
                data = {"plan_id": PLAN, "year": YEAR, "insuring_district": insuring}
                noted.append(
                    AppendRequest(
                        stream,
                        0,
                        (
                            NewEvent(
                                MEMBER_NOTED,
                                {"member_id": member_id},
                                id=derived_event_id(registered_id, stream, 0),
                                context=heard,
                            ),
                            NewEvent(
                                facts.ENROLMENT_NOTED,
                                data,
                                id=derived_event_id(enrolled_id, stream, 0),
                                context=enrolment,
                            ),
                        ),
                    )
                )
                members.append((member_id, d))
            await store.append_batch(noted)
            # Claim j is member j's (j modulo the members): file those whose member is in.
            ready = n_claims if len(members) == n_members else min(n_claims, len(members))
            while filed < ready:
                last = min(ready, filed + CLAIM_CHUNK)
                await store.append_batch(paid_claims(rules, members, usage, filed, last))
                filed = last
                done.value = filed
        head = await store.head_position()
        await store.set_checkpoint("relay", head)
        return head
    finally:
        await store.close()


def paid_claims(
    rules: Any,
    members: list[tuple[str, int]],
    usage: dict[str, tuple[int, Decimal]],
    first: int,
    last: int,
) -> list[AppendRequest]:
    """Claims `first` to `last`, each filed, assessed, approved (automatically, or by an
    officer above the threshold) and paid, decided by claims' domain functions; with its
    invoice claimed and its benefit reserved on the member's usage stream, as the filing
    appends them (claims' codec)."""
    from claims.app import facts
    from claims.app.handlers import claim_stream, fold, invoice_stream
    from claims.domain import codec
    from claims.domain import facts as domain_facts
    from claims.domain.assessment import decide_approve, decide_eligibility
    from claims.domain.claim import Claim
    from claims.domain.events import Actor, ClaimAssessed, Invoice
    from claims.domain.filing import decide_file
    from claims.domain.payment import decide_pay
    from claims.domain.usage import Reserved

    def stored_event(event: Any, context: EventContext) -> NewEvent:
        return NewEvent(*codec.encode(event), context=context)

    clerk, officer = Actor("bench-clerk", "clerk"), Actor("bench-officer", "district_officer")
    requests: list[AppendRequest] = []
    for j in range(first, last):
        member_id, d = members[j % len(members)]
        claim_id = f"{j:08d}-0000-4000-8000-{j:012d}"
        admitted = date(2026, 1, 1) + timedelta(days=j % 320)
        filed_on = admitted + timedelta(days=7)
        paid_on = filed_on + timedelta(days=3)
        payer = d if j % 5 else (d + 1) % DISTRICTS  # a fifth paid in another district
        invoice = Invoice(HOSPITAL, f"C-{j}", Decimal(1000 + j % 9000), filed_on)
        filing = EventContext(claim_id, actor=clerk.subject, org_path=center(d))
        state = Claim()
        decided = list(
            decide_file(
                state,
                claim_id=claim_id,
                member_id=member_id,
                service_point=center(d),
                rules=rules,
                admitted_on=admitted,
                discharged_on=admitted + timedelta(days=5),
                invoices=(invoice,),
                major_disease=None,
                today=filed_on,
                actor=clerk,
            )
        )
        state = fold(state, decided)
        version, used = usage.get(member_id, (0, Decimal("0.00")))
        assessed = decide_eligibility(
            state,
            enrolled=True,
            insuring_district=district(d),
            rules=rules,
            used_this_year=used,
            today=filed_on,
        )
        state = fold(state, assessed)
        stored = [stored_event(e, filing) for e in decided + assessed]
        if state.status == "assessed":  # above the threshold: an officer approves it
            approving = EventContext(claim_id, actor=officer.subject)
            approved = decide_approve(state, officer=officer.subject, today=filed_on, actor=officer)
            state = fold(state, approved)
            stored += [stored_event(e, approving) for e in approved]
        paying = EventContext(claim_id, actor=clerk.subject, org_path=center(payer))
        paid = decide_pay(
            state, service_point=center(payer), rules=rules, today=paid_on, actor=clerk
        )
        stored += [stored_event(e, paying) for e in paid]
        benefit = next(e for e in assessed if isinstance(e, ClaimAssessed)).benefit
        usage[member_id] = (version + 1, used + benefit)
        claimed = domain_facts.encode(domain_facts.InvoiceClaimed(claim_id))
        reserved = domain_facts.encode(Reserved(claim_id, benefit))
        requests += [
            AppendRequest(claim_stream(claim_id), 0, tuple(stored)),
            AppendRequest(
                invoice_stream(invoice.hospital, invoice.number),
                0,
                (NewEvent(*claimed, context=filing),),
            ),
            AppendRequest(
                facts.usage_stream(member_id, PLAN, YEAR),
                version,
                (NewEvent(*reserved, context=filing),),
            ),
        ]
    return requests


# -- rebuilding ----------------------------------------------------------------------------


async def rebuild_all(urls: dict[str, str], console: Console, figures: Figures) -> None:
    """Every projection of both services emptied and rebuilt from the log, one after another,
    as `unionctl replay` does (batches of `REBUILD_BATCH`), with its progress bar."""
    from claims.bootstrap import definition as claims_definition
    from members.bootstrap import definition as members_definition
    from union_events.projections import create_read_models

    for name, definition in (("members", members_definition()), ("claims", claims_definition())):
        store = await EventStore.open(urls[name])
        try:  # as the service does at start-up: a read model new since the load is created
            await create_read_models(store.engine, definition.metadata, definition.projections)
            head = await store.head_position()
            total = 0.0
            for projection in definition.projections:
                took, cpu = await _rebuild_one(store, name, projection, head, console)
                total += took
                figures.add(
                    f"rebuild {name}/{projection.name}",
                    f"{head / took:,.0f} events/s ({took:.1f} s; {head / cpu:,.0f}/CPU-s)",
                )
            figures.add(f"rebuild {name}, all {len(definition.projections)}", f"{total:.0f} s")
        finally:
            await store.close()


async def _rebuild_one(
    store: EventStore, service: str, projection: Projection, head: int, console: Console
) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process: on SQLite the database's work too, on
    PostgreSQL the server's is not counted)."""
    with _bar(console) as progress:
        task = progress.add_task(f"rebuilding {service}/{projection.name}", total=head)

        def report(position: int, head_: int) -> None:
            progress.update(task, completed=position, total=head_)

        t0, cpu0 = time.perf_counter(), time.process_time()
        await rebuild(store, projection, progress=report)  # its batches (REBUILD_BATCH)
        took, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        progress.update(task, completed=head, total=head)
    return took, max(cpu, 1e-9)


# -- the services on that history ----------------------------------------------------------


def start(module: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "uvicorn", f"{module}.main:app", "--port", str(port),
        "--log-level", "warning", "--timeout-keep-alive", "120",
    ]  # fmt: skip
    return subprocess.Popen(command, env=env)


async def ready(client: Client, seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if (await client.get("/readyz")).status_code == 200:
                return
        except ClientError:
            pass
        await asyncio.sleep(0.2)
    raise RuntimeError(f"{client.base_url} never became ready")


def claim_body(member_id: str, d: int, n: int) -> dict[str, Any]:
    return {
        "member_id": member_id,
        "service_point": center(d),
        "plan_id": PLAN,
        "admitted_on": "2026-11-01",
        "discharged_on": "2026-11-10",
        "invoices": [
            {
                "hospital": HOSPITAL,
                "number": f"L-{n}",
                "amount": "6230.00",
                "issued_on": "2026-11-10",
            }
        ],
    }


async def file_and_pay(
    claims: Client, member: tuple[str, int], n: int, lat: dict[str, list[float]]
) -> None:
    member_id, d = member
    t0 = time.perf_counter()
    filed = await claims.post("/claims", json=claim_body(member_id, d, n))
    assert filed.status_code == 202, filed.text
    claim_id = filed.json()["claim_id"]
    t1 = time.perf_counter()
    for _ in range(200):  # paid at the member's own district's point
        paid = await claims.post(f"/claims/{claim_id}/payment", json={"service_point": center(d)})
        if paid.status_code == 200:
            break
        await asyncio.sleep(0.05)
    else:
        raise RuntimeError(f"claim {claim_id} never became payable: {paid.text}")
    t2 = time.perf_counter()
    lat["file"].append(t1 - t0)
    lat["pay"].append(t2 - t1)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(len(ordered) * q) - 1))] * 1000


async def timed_get(client: Client, path: str, runs: int) -> tuple[float, float, Any]:
    """(median ms, max ms, the last answer's JSON) of `runs` GETs after one warm-up."""
    answer = await client.get(path)
    answer.raise_for_status()
    took = []
    for _ in range(runs):
        t0 = time.perf_counter()
        answer = await client.get(path)
        took.append((time.perf_counter() - t0) * 1000)
        answer.raise_for_status()
    return statistics.median(took), max(took), answer.json()


def rss_mib(pid: int) -> float:
    """Resident memory of a process now (Linux: /proc/<pid>/status, VmRSS in kB)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def machine_memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 2**20
    return float("nan")


@dataclass
class City:
    """One loaded city: where its databases and files are, what it holds, what it measured."""

    urls: dict[str, str]
    data_dir: Path
    nats_url: str
    loaded: Loaded
    figures: Figures


async def measure_services(
    cities: list[City], args: argparse.Namespace, console: Console, base: int
) -> None:
    """Members and claims of every city as uvicorn processes at once (the empty city's
    beside the full one's), measured in turns: a claim filed and paid in one city, then in
    the next, and each page likewise, so that both see the same load on a shared machine."""
    procs: list[subprocess.Popen[bytes]] = []
    clients: list[tuple[Client, Client]] = []
    try:
        for city in cities:
            env = {**os.environ, "NATS_URL": city.nats_url, "UNION_DATA_DIR": str(city.data_dir),
                   "LOG_LEVEL": "WARNING"}  # fmt: skip
            ports = {"members": free_port(), "claims": free_port()}
            for name, port in ports.items():
                procs.append(start(name, port, {**env, "DATABASE_URL": city.urls[name]}))
            headers = bearer(city.data_dir)  # a city admin's token, signed with its key
            clients.append(
                (
                    Client(f"http://127.0.0.1:{ports['members']}", headers),
                    Client(f"http://127.0.0.1:{ports['claims']}", headers),
                )
            )
        t0 = time.perf_counter()
        for members, claims in clients:
            await ready(members)
            await ready(claims)
        for city in cities:
            city.figures.add("services ready after start", f"{time.perf_counter() - t0:.1f} s")
        samples = []
        for city in cities:
            step = max(1, len(city.loaded.members) // args.sample)
            samples.append(city.loaded.members[::step][: args.sample])
        lats: list[dict[str, list[float]]] = [{"file": [], "pay": []} for _ in cities]
        for i in range(min(20, args.sample)):  # warm-up, not counted
            for (_, claims), sample in zip(clients, samples, strict=True):
                await file_and_pay(claims, sample[i], base - 1 - i, {"file": [], "pay": []})
        if args.rate <= 0:  # one at a time, in turns
            for n in range(args.timed):
                for (_, claims), sample, lat in zip(clients, samples, lats, strict=True):
                    await file_and_pay(claims, sample[n % len(sample)], base + n, lat)
        else:  # at a fixed rate, started in turns
            tasks = []
            t0 = time.perf_counter()
            for n in range(args.timed):
                await asyncio.sleep(max(0.0, t0 + n / args.rate - time.perf_counter()))
                for (_, claims), sample, lat in zip(clients, samples, lats, strict=True):
                    member = sample[n % len(sample)]
                    tasks.append(asyncio.create_task(file_and_pay(claims, member, base + n, lat)))
            await asyncio.gather(*tasks)
        how = "one at a time" if args.rate <= 0 else f"at {args.rate:g}/s"
        for city, lat in zip(cities, lats, strict=True):
            for step_, label in (("file", "filing"), ("pay", "payment")):
                city.figures.add(
                    f"{label} p50 / p99, {how}",
                    f"{pct(lat[step_], 0.5):.0f} / {pct(lat[step_], 0.99):.0f} ms",
                )
        year = f"from={YEAR}-01-01&to={YEAR}-12-31"
        pages = [
            ("claims report, a year (city)", 1, lambda c: f"/reports/districts?{year}"),
            ("settlement, a year (city)", 1, lambda c: f"/settlements?{year}"),
            ("a member's claims page", 1,
             lambda c: f"/members/{c.loaded.members[len(c.loaded.members) // 2][0]}/claims"),
            ("members list of a unit", 0, lambda c: f"/members?unit={unit(c.loaded.units // 2)}"),
            ("members report, a year (city)", 0, lambda c: f"/reports/districts?{year}"),
        ]  # fmt: skip
        for label, which, path in pages:
            for city, pair in zip(cities, clients, strict=True):
                median, worst, answer = await timed_get(pair[which], path(city), args.runs)
                city.figures.add(label, f"{median:,.0f} ms (max {worst:,.0f})")
                if label.startswith("claims report"):
                    filed = sum(r["filed"] for r in answer)
                    city.figures.add("  claims the report counts", f"{filed:,}")
        for i, city in enumerate(cities):
            for name, proc in zip(("members", "claims"), procs[2 * i : 2 * i + 2], strict=True):
                city.figures.add(f"RSS {name} after", f"{rss_mib(proc.pid):.0f} MiB")
    finally:
        for pair in clients:
            for client in pair:
                await client.__aexit__()
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(60)


# -- sizes ---------------------------------------------------------------------------------


def sqlite_bytes(path: str) -> int:
    files = [Path(f"{path}{suffix}") for suffix in ("", "-wal")]
    return sum(f.stat().st_size for f in files if f.exists())


# The service's tables with their indexes and TOAST (not the ~8 MiB of an empty database).
_PG_TABLES_BYTES = """
SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
"""


async def database_bytes(url: str) -> int:
    if url.startswith("sqlite"):
        return sqlite_bytes(url.split("///", 1)[1])
    store = await EventStore.open(url)
    try:
        async with store.engine.connect() as conn:
            return int(await conn.scalar(text(_PG_TABLES_BYTES)))
    finally:
        await store.close()


async def checkpoint_wal(url: str) -> None:
    """SQLite: fold the WAL into the file (as an idle service's checkpoints do), so the size
    measured is the database's."""
    if url.startswith("sqlite"):
        store = await EventStore.open(url)
        try:
            async with store.engine.connect() as conn:
                await conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        finally:
            await store.close()


# -- the run -------------------------------------------------------------------------------


async def load_one(
    label: str,
    urls: dict[str, str],
    data_dir: Path,
    nats_url: str,
    n_members: int,
    n_claims: int,
    console: Console,
    load_only: bool = False,
) -> City:
    """Load a city, rebuild its projections, measure its databases."""
    figures = Figures(label, n_members, n_claims)
    console.rule(f"{label}: {n_members:,} members, {n_claims:,} paid claims")
    os.environ["UNION_DATA_DIR"] = str(data_dir)  # the lookup index's keys, on rebuild
    saved = data_dir / "loaded.json"
    if saved.exists():  # --data: a city loaded by an earlier run, its logs as they are
        kept = json.loads(saved.read_text())
        loaded = Loaded([tuple(x) for x in kept["members"]], kept["units"], kept["events"])
        console.log(f"reusing the city loaded in {data_dir}")
        figures.rows.update(kept["figures"])
    else:
        t0, cpu0 = time.perf_counter(), time.process_time()
        loaded = await load_city(urls, data_dir, n_members, n_claims, console)
        took = time.perf_counter() - t0
        cpu = time.process_time() - cpu0 + loaded.claims_cpu  # both processes
        for name, head in loaded.events.items():
            figures.add(f"events in {name}' log", f"{head:,}")
        total = sum(loaded.events.values())
        figures.add(
            "load (both logs, two processes)",
            f"{took:.0f} s ({total / took:,.0f} events/s; {total / cpu:,.0f}/CPU-s)",
        )
        kept = {"members": loaded.members, "units": loaded.units, "events": loaded.events,
                "figures": dict(figures.rows)}  # fmt: skip
        saved.write_text(json.dumps(kept))
    if load_only:
        return City(urls, data_dir, nats_url, loaded, figures)
    await rebuild_all(urls, console, figures)
    for name, url in urls.items():
        await checkpoint_wal(url)
        size = await database_bytes(url)
        per = size / (loaded.events[name] / 1e6) / 2**20
        figures.add(f"database {name}", f"{size / 2**20:,.0f} MiB ({per:,.0f} MiB per M events)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures.add("RSS of this loader (peak)", f"{peak:.0f} MiB")
    return City(urls, data_dir, nats_url, loaded, figures)


def table(results: list[Figures]) -> Table:
    out = Table(title="city scale")
    out.add_column("")
    for r in results:
        out.add_column(f"{r.backend}\n{r.members:,} members\n{r.claims:,} claims", justify="right")
    labels: list[str] = []
    for r in results:
        labels += [label for label in r.rows if label not in labels]
    for label in labels:
        out.add_row(label, *(r.rows.get(label, "") for r in results))
    return out


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--claims", type=int, default=None, help="paid claims (default: members)")
    parser.add_argument("--backends", default=",".join(BACKENDS), help="comma-separated")
    parser.add_argument(
        "--rate", type=float, default=0, help="claims/s filed and paid (0: one at a time)"
    )
    parser.add_argument("--timed", type=int, default=200, help="claims filed and paid, timed")
    parser.add_argument("--sample", type=int, default=200, help="members the claims are for")
    parser.add_argument("--runs", type=int, default=5, help="GETs per page (median)")
    parser.add_argument("--no-empty", action="store_true", help="skip the empty city")
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        help="keep the cities in this directory (SQLite only); a city found there already "
        "is not loaded again: its logs are rebuilt and measured as they are",
    )
    parser.add_argument(
        "--load-only", action="store_true", help="with --data: load the cities, measure nothing"
    )
    args = parser.parse_args(argv)
    args.claims = args.members if args.claims is None else args.claims
    args.backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if unknown := set(args.backends) - set(BACKENDS):
        parser.error(f"unknown backend(s) {sorted(unknown)}; choose from {BACKENDS}")
    if args.load_only and args.data is None:
        parser.error("--load-only needs --data (where the cities are kept)")
    if args.data is not None and args.backends != ["sqlite"]:
        parser.error("--data keeps SQLite cities only: add --backends sqlite")
    if args.members < args.sample:
        parser.error("--members must be at least --sample")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _stop)  # killed: stop the servers and remove the files
    console = Console(width=None if sys.stdout.isatty() else 132)
    began = time.perf_counter()
    results: list[Figures] = []
    with ExitStack() as stack:
        if args.data is not None:
            tmp = args.data
            tmp.mkdir(parents=True, exist_ok=True)
        else:
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="city-scale-")))
        provider = None
        console.print(
            f"city scale: {args.members:,} members, {args.claims:,} claims; "
            f"{os.cpu_count()} CPUs; {machine_memory_gib():.0f} GiB"
        )
        base = 10**8
        for backend in args.backends:
            name = "SQLite" if backend == "sqlite" else "PostgreSQL"
            kinds = [] if args.no_empty else [("empty", args.sample, 0)]
            kinds.append(("full", args.members, args.claims))
            cities: list[City] = []
            for kind, n_members, n_claims in kinds:
                data_dir = tmp / f"{backend}-{kind}-{n_members}"
                data_dir.mkdir(exist_ok=True)
                if backend == "sqlite":
                    urls = {s: f"sqlite:///{data_dir / s}.db" for s in ("members", "claims")}
                else:
                    if provider is None:
                        provider = PostgresProvider()
                        provider.start()
                        stack.callback(provider.stop)
                        console.print(f"PostgreSQL: {provider.source}")
                    urls = {}
                    for service in ("members", "claims"):
                        db = unique_database_name(f"city_{service}")
                        urls[service] = create_database(provider.url, db)
                        stack.callback(drop_database, provider.url, db)
                nats_server = stack.enter_context(NatsServer(store_dir=data_dir / "nats"))
                label = f"{name} (empty city)" if kind == "empty" else name
                loading = load_one(label, urls, data_dir, nats_server.url, n_members, n_claims,
                                   console, args.load_only)  # fmt: skip
                cities.append(asyncio.run(loading))
                console.print(table([*results, *(c.figures for c in cities)]))
            if not args.load_only:
                asyncio.run(measure_services(cities, args, console, base))
            base += 10**6
            results += [c.figures for c in cities]
            console.print(table(results))
    console.print(f"\ntotal wall time: {time.perf_counter() - began:.0f} s")
    return 0


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
