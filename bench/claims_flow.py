"""Claims end to end: file → assessed → approved → paid, through the HTTP API, with members
and claims running as under `unionctl up` (uvicorn processes, SQLite or PostgreSQL, embedded
NATS).

Prints (1) sustained claims/s with many claims in flight, beside the HTTP ceiling measured in
the same round (bench/http_ceiling.py, just before: the machine is shared, so compare the
ratio) and the CPU each claim cost the claims and members processes, and (2) p50/p99 latency
from the filing request to the `paid` event being visible on NATS at a fixed rate.
With `--split`, each service runs as production runs it: an `api` process and a `worker`
process (SERVICE_ROLE), whose CPU is summed; the RSS of every process is printed after the run.
Run: `uv run python bench/claims_flow.py [--claims 2000] [--rate 100] [--seconds 10] [--repeat 3]
[--database postgres] [--split]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import nats
from client import Client, ClientError  # bench/client.py: aiohttp, not httpx (see there)
from http_ceiling import ceiling  # bench/http_ceiling.py
from members.domain.national_id import make_national_id
from union_events import heap
from union_events.embedded import NatsServer, PostgresProvider, acreate_database, free_port
from union_events.testing.plans import TWO_TIERS, plan_rules
from union_events.testing.tokens import bearer

RULES = plan_rules(tiers=TWO_TIERS)


def start(module: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        f"{module}.main:app",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--timeout-keep-alive",
        "120",  # the client keeps connections idle meanwhile: a server-side close races it
    ]
    return subprocess.Popen(command, env=env)


def rss_mib(pid: int) -> float:
    """Resident memory of a live process, MiB (Linux: /proc)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU a process has used so far, all its threads (Linux: /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def ready(client: Client) -> None:
    for _ in range(1200):  # a loaded machine takes a while to import a service
        try:
            if (await client.get("/readyz")).status_code == 200:
                return
        except ClientError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError(f"{client.base_url} never became ready")


async def seed(members: Client, claims: Client, people: int) -> list[str]:
    for path, level in (
        ("zhoushan", "city"),
        ("zhoushan/dinghai", "district"),
        ("zhoushan/dinghai/u1", "unit"),
        ("zhoushan/dinghai/center", "service_point"),
        ("zhoushan/putuo", "district"),
        ("zhoushan/putuo/center", "service_point"),
    ):
        (
            await members.post("/orgs", json={"path": path, "name": path, "level": level})
        ).raise_for_status()
    (
        await members.post(
            "/campaigns",
            json={"campaign_id": "bench", "district": "zhoushan/dinghai", "name": "bench"},
        )
    ).raise_for_status()
    batch = [
        {
            "national_id": make_national_id("330902", date(1990, 1, 1), i),
            "name": f"m{i}",
            "phone": "13800000000",
            "unit": "zhoushan/dinghai/u1",
        }
        for i in range(people)
    ]
    signed = (await members.post("/campaigns/bench/signups", json={"signups": batch})).json()
    ids = [m["member_id"] for m in signed["members"]]
    (await claims.put("/plans/inpatient/years/2026", json=RULES)).raise_for_status()
    hospital = {"name": "舟山医院", "city": "zhoushan"}  # the city's hospital registry
    (await claims.put("/hospitals/ZS-001", json=hospital)).raise_for_status()
    for point in ("zhoushan/dinghai/center", "zhoushan/putuo/center"):  # heard from members
        for _ in range(400):
            if (await claims.get(f"/orgs/{point}")).status_code == 200:
                break
            await asyncio.sleep(0.05)
        else:
            raise RuntimeError(f"claims never heard of {point} from members")
    deadline = time.monotonic() + 30  # members hears claims' plan years over NATS
    while (await members.get("/plan-years/inpatient/2026")).status_code != 200:
        if time.monotonic() > deadline:
            raise RuntimeError("members never heard of plan year inpatient 2026")
        await asyncio.sleep(0.1)
    for member_id in ids:
        (
            await members.post(
                f"/members/{member_id}/enrolments", json={"plan_id": "inpatient", "year": 2026}
            )
        ).raise_for_status()
    return ids


def claim(member_id: str, n: int) -> dict:
    return {
        "member_id": member_id,
        "service_point": "zhoushan/putuo/center",
        "plan_id": "inpatient",
        "admitted_on": "2026-03-01",
        "discharged_on": "2026-03-10",
        "invoices": [
            {
                "hospital": "ZS-001",
                "number": f"B-{n}",
                "amount": "6230.00",
                "issued_on": "2026-03-10",
            }
        ],
    }


async def one(
    claims: Client,
    member_id: str,
    n: int,
    seen: dict[str, asyncio.Future],
    latencies: list[float],
    steps: dict[str, list[float]] | None = None,
) -> None:
    started = time.perf_counter()
    filed = await claims.post("/claims", json=claim(member_id, n))
    assert filed.status_code == 202, filed.text
    claim_id = filed.json()["claim_id"]
    was_filed = time.perf_counter()
    seen.setdefault(claim_id, asyncio.get_running_loop().create_future())
    for _ in range(200):  # the enrolment may still be on its way: the claim waits for it
        paid = await claims.post(
            f"/claims/{claim_id}/payment", json={"service_point": "zhoushan/dinghai/center"}
        )
        if paid.status_code == 200:
            break
        await asyncio.sleep(0.05)
    was_paid = time.perf_counter()
    await asyncio.wait_for(seen[claim_id], 30)
    done = time.perf_counter()
    latencies.append(done - started)
    if steps is not None:
        steps["file"].append(was_filed - started)
        steps["pay"].append(was_paid - was_filed)
        steps["event"].append(done - was_paid)


async def run(args: argparse.Namespace, workdir: Path, admin_url: str | None) -> dict[str, float]:
    with NatsServer(store_dir=workdir / "nats") as server:
        env = {
            **os.environ,
            "NATS_URL": server.url,
            "UNION_DATA_DIR": str(workdir),
            "LOG_LEVEL": "WARNING",
        }
        names = ("members", "claims")
        roles = ("api", "worker") if args.split else ("all",)
        ports = {(name, role): free_port() for name in names for role in roles}
        urls = {}  # a fresh PostgreSQL database per service and run; else SQLite files
        for name in names if admin_url else ():
            urls[name] = await acreate_database(admin_url, f"{name}_{uuid.uuid4().hex[:12]}")

        def database_of(name: str) -> dict[str, str]:
            return {"DATABASE_URL": urls[name]} if urls else {}

        procs = {
            (name, role): start(
                name,
                port,  # as `unionctl up` runs them: PYTHONMALLOC=malloc for members
                heap.process_env(name) | env | {"SERVICE_ROLE": role} | database_of(name),
            )
            for (name, role), port in ports.items()
        }
        api = "api" if args.split else "all"
        try:
            headers = bearer(workdir)  # a city admin's token, signed with the services' key
            async with (
                Client(f"http://127.0.0.1:{ports['members', api]}", headers) as members,
                Client(f"http://127.0.0.1:{ports['claims', api]}", headers) as claims,
            ):
                for port in ports.values():  # the workers' probes too
                    async with Client(f"http://127.0.0.1:{port}", headers) as probe:
                        await ready(probe)
                ids = await seed(members, claims, args.people)
                nc = await nats.connect(server.url)
                seen: dict[str, asyncio.Future] = {}

                async def on_paid(msg) -> None:
                    claim_id = json.loads(msg.data)["data"]["claim_id"]
                    future = seen.setdefault(claim_id, asyncio.get_running_loop().create_future())
                    if not future.done():
                        future.set_result(time.perf_counter())

                await nc.subscribe("union.claims.claim.paid.v1", cb=on_paid)
                await asyncio.gather(
                    *[one(claims, ids[i], 2 * 10**7 + i, seen, []) for i in range(len(ids))]
                )  # warm-up: every enrolment heard
                latencies: list[float] = []
                steps: dict[str, list[float]] = {"file": [], "pay": [], "event": []}
                sem = asyncio.Semaphore(args.concurrency)

                async def bounded(n: int) -> None:
                    async with sem:
                        await one(claims, ids[n % len(ids)], n, seen, latencies, steps)

                others = {("nats", "server"): server.pid, ("client", "bench"): os.getpid()}
                pids = {key: p.pid for key, p in procs.items()} | others
                cpu0 = {key: cpu_seconds(pid) for key, pid in pids.items()}
                t0 = time.perf_counter()
                await asyncio.gather(*[bounded(n) for n in range(args.claims)])
                sustained = args.claims / (time.perf_counter() - t0)
                spent = {k: cpu_seconds(pid) - cpu0[k] for k, pid in pids.items()}
                per = args.claims
                cpu = {n: sum(v for k, v in spent.items() if k[0] == n) / per for n in names}
                by_process = {k: v / per * 1000 for k, v in spent.items()}
                fixed: list[float] = []
                fixed_steps: dict[str, list[float]] = {"file": [], "pay": [], "event": []}
                tasks = []
                total = int(args.rate * args.seconds)
                t0 = time.perf_counter()
                for n in range(total):
                    await asyncio.sleep(max(0.0, t0 + n / args.rate - time.perf_counter()))
                    tasks.append(
                        asyncio.create_task(
                            one(claims, ids[n % len(ids)], 10**7 + n, seen, fixed, fixed_steps)
                        )
                    )
                await asyncio.gather(*tasks)
                await nc.close()
                rss = {f"{name} {role}": rss_mib(p.pid) for (name, role), p in procs.items()}
        finally:
            for p in procs.values():
                p.terminate()
                p.wait(20)
    fixed.sort()
    figures = {
        "sustained": sustained,
        "p50": fixed[len(fixed) // 2] * 1000,
        "p99": fixed[int(len(fixed) * 0.99) - 1] * 1000,
        "cpu_claims": cpu["claims"] * 1000,
        "cpu_members": cpu["members"] * 1000,
        "rss_max": max(rss.values()),
    }
    print(
        f"sustained: {args.claims} claims, {args.concurrency} in flight: {sustained:,.0f} claims/s "
        f"(p50 {statistics.median(latencies) * 1000:.0f} ms; {breakdown(steps)}); CPU per claim: "
        f"claims {figures['cpu_claims']:.2f} ms, members {figures['cpu_members']:.2f} ms"
    )
    print(
        f"at {args.rate:g} claims/s for {args.seconds:g} s: p50 {figures['p50']:.0f} ms, "
        f"p99 {figures['p99']:.0f} ms (filing → paid event on NATS; {breakdown(fixed_steps)})",
    )
    print(
        "CPU per claim by process: "
        + ", ".join(f"{n} {r} {ms:.2f} ms" for (n, r), ms in by_process.items())
        + f"; all {sum(by_process.values()):.2f} ms"
    )
    print("RSS after the run: " + ", ".join(f"{k} {v:.0f} MiB" for k, v in rss.items()), flush=True)
    return figures


def breakdown(steps: dict[str, list[float]]) -> str:
    """Median of each step: the filing request, paying (with retries), the event reaching NATS."""
    return ", ".join(f"{k} {statistics.median(v) * 1000:.0f} ms" for k, v in steps.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--claims", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--rate", type=float, default=100)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--repeat", type=int, default=1, help="runs; medians are printed")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument(
        "--ceiling-claims", type=int, default=3000, help="claims of the HTTP ceiling; 0: skip it"
    )
    parser.add_argument(
        "--split", action="store_true", help="an api and a worker process of each service"
    )
    args = parser.parse_args()
    runs = []
    with database(args.database) as admin_url:
        for _ in range(args.repeat):
            top = ceiling(args.ceiling_claims, args.concurrency) if args.ceiling_claims else 0.0
            with tempfile.TemporaryDirectory(prefix="claims-bench-") as tmp:
                figures = asyncio.run(run(args, Path(tmp), admin_url))
            figures["ceiling"] = top
            figures["ratio"] = figures["sustained"] / top if top else float("nan")
            if top:
                print(
                    f"HTTP ceiling this round (do-nothing file + pay, same client): {top:,.0f} "
                    f"claims/s; sustained is {figures['ratio']:.1%} of it",
                    flush=True,
                )
            runs.append(figures)
    if args.repeat > 1:
        median = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        print(
            f"median of {args.repeat} ({args.database}): sustained {median['sustained']:,.0f} "
            f"claims/s, HTTP ceiling {median['ceiling']:,.0f} claims/s, ratio "
            f"{median['ratio']:.1%}; at {args.rate:g}/s p50 {median['p50']:.0f} ms, "
            f"p99 {median['p99']:.0f} ms; CPU per claim: claims {median['cpu_claims']:.2f} ms, "
            f"members {median['cpu_members']:.2f} ms; largest RSS {median['rss_max']:.0f} MiB"
            + (" (api and worker processes)" if args.split else "")
        )


@contextmanager
def database(kind: str) -> Iterator[str | None]:
    """PostgreSQL's admin URL (a server found or started, see `PostgresProvider`), else None."""
    if kind != "postgres":
        yield None
        return
    provider = PostgresProvider()
    provider.start()
    print(f"PostgreSQL from {provider.source}", flush=True)
    try:
        yield provider.url
    finally:
        provider.stop()


if __name__ == "__main__":
    main()
