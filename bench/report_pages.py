"""The reports desk's pages (统计报表) on a district with many claims: how long a district
officer waits for the claims report (and the members report, and the claims report's .xlsx).

Starts members, claims and the console here on the embedded default (uvicorn processes, SQLite
files, an embedded NATS), as under `unionctl up`; seeds through the services' HTTP APIs, as a
seeding script does (a city admin's token): the orgs, the inpatient plan year (city pooling, no
deductible, approved at once), a hospital, `--members` Putuo members (a QR drive's sign-ups) each
enrolled, then `--claims` claims filed at Putuo's service centre (every 20th filed 100 days after
discharge: rejected `past_deadline`) and the others paid there. Before the clock starts it waits
until claims' `GET /reports/districts` counts every filing, signs a Putuo officer in through
the sign-in form and opens each page once (warm-up). Then `--runs` runs of `--requests` page
loads each, one after another (a person waiting for the page); prints each run's p50/p95 and
the median of the runs' p50 and p95 per page.

Where the figures come from: the services' report endpoints read their read models (claims:
`claims_view` grouped by district and day, `claim_rejections_view`, `payments_view`; members:
`member_movements_view`, `enrolments_view`), never a scan of the log; the console sums and lays
out the rows. Run: `uv run python bench/report_pages.py [--claims 10000] [--members 200]
[--runs 3] [--requests 30]`.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import statistics
import subprocess
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from client import Client  # bench/client.py: aiohttp (see there)
from console_load import ORGS, TODAY, Browser, date_of_birth, make_accounts, percentile, ready
from console_load import start as start_process
from members.domain.national_id import make_national_id
from union_events.embedded import NatsServer, free_port
from union_events.testing.tokens import bearer

SERVICES = ("members", "claims")
YEAR = TODAY.year
PERIOD = f"start={YEAR}-01-01&end={TODAY.isoformat()}"
PAGES = {
    "claims report": f"/reports/claims?{PERIOD}",
    "members report": f"/reports/members?{PERIOD}",
    "claims report .xlsx": f"/reports/claims.xlsx?{PERIOD}",
}
PUTUO = "zhoushan/putuo"


def rules(year: int) -> dict[str, object]:
    return {
        "pooling": [{"level": "city", "effective_from": f"{year}-01-01"}],
        "deductible": "0.00",
        "tiers": [{"up_to": None, "ratio": "1"}],
        "per_claim_cap": "30000.00",
        "annual_cap": "100000000.00",
        "deadline_days": 90,
        "auto_approve_below": "100000.00",
    }


async def seed(workdir: Path, ports: dict[str, int], members_n: int, claims_n: int) -> float:
    """The city, the plan years, the members and the claims; the seconds the claims took."""
    headers = bearer(workdir)
    async with (
        Client(f"http://127.0.0.1:{ports['members']}", headers) as members,
        Client(f"http://127.0.0.1:{ports['claims']}", headers) as claims,
    ):
        for path, name, level in ORGS:
            body = {"path": path, "name": name, "level": level}
            (await members.post("/orgs", json=body)).raise_for_status()
        years = sorted({YEAR, (TODAY - timedelta(days=103)).year})
        for year in years:
            (
                await claims.put(f"/plans/inpatient/years/{year}", json=rules(year))
            ).raise_for_status()
        hospital = {"name": "舟山医院", "city": "zhoushan"}
        (await claims.put("/hospitals/ZS-001", json=hospital)).raise_for_status()
        campaign = {"campaign_id": "bench", "district": PUTUO, "name": "bench"}
        (await members.post("/campaigns", json=campaign)).raise_for_status()
        batch = [
            {"national_id": make_national_id("330903", date_of_birth(i), i), "name": f"会员{i}",
             "phone": "13800000000", "unit": "zhoushan/putuo/fishery"}
            for i in range(members_n)
        ]  # fmt: skip
        answer = await members.post("/campaigns/bench/signups", json={"signups": batch})
        answer.raise_for_status()
        ids = [m["member_id"] for m in answer.json()["members"]]
        for year in years:
            await _until(members, f"/plan-years/inpatient/{year}")
        await _until(claims, "/orgs/zhoushan/putuo/center")
        for member_id in ids:
            for year in years:
                enrolment = {"plan_id": "inpatient", "year": year}
                url = f"/members/{member_id}/enrolments"
                (await members.post(url, json=enrolment)).raise_for_status()
        numbers = itertools.count(1)
        queue = iter(range(claims_n))
        started = time.perf_counter()

        async def worker() -> None:
            for i in queue:
                late = i % 20 == 19
                discharged = TODAY - timedelta(days=100 if late else 3)
                body = {
                    "member_id": ids[i % len(ids)], "service_point": f"{PUTUO}/center",
                    "plan_id": "inpatient",
                    "admitted_on": (discharged - timedelta(days=3)).isoformat(),
                    "discharged_on": discharged.isoformat(),
                    "invoices": [{"hospital": "ZS-001", "number": f"B-{next(numbers)}",
                                  "amount": f"{800 + i % 400}.00",
                                  "issued_on": discharged.isoformat()}],
                }  # fmt: skip
                filed = await claims.post("/claims", json=body)
                filed.raise_for_status()
                if late:
                    continue
                claim_id = filed.json()["claim_id"]
                for _ in range(200):  # approved at once once claims heard the enrolment
                    paid = await claims.post(
                        f"/claims/{claim_id}/payment", json={"service_point": f"{PUTUO}/center"}
                    )
                    if paid.status_code == 200:
                        break
                    await asyncio.sleep(0.1)
                else:
                    paid.raise_for_status()

        await asyncio.gather(*(worker() for _ in range(16)))
        seconds = time.perf_counter() - started
        query = f"/reports/districts?from={YEAR}-01-01&to={TODAY.isoformat()}"
        for _ in range(1200):  # the read models follow the log
            rows = (await claims.get(query)).json()
            if sum(r["filed"] for r in rows) == claims_n:
                break
            await asyncio.sleep(0.25)
        else:
            raise RuntimeError("the claims report never counted every filing")
        return seconds


async def _until(client: Client, path: str) -> None:
    for _ in range(600):
        if (await client.get(path)).status_code == 200:
            return
        await asyncio.sleep(0.1)
    raise RuntimeError(f"{path} never answered 200")


async def timed(browser: Browser, path: str) -> float:
    started = time.perf_counter()
    async with browser.http.get(path, allow_redirects=False) as response:
        body = await response.read()
        elapsed = time.perf_counter() - started
        if response.status != 200:
            raise RuntimeError(f"{path}: {response.status} {body[:300]!r}")
    return elapsed


async def run(args: argparse.Namespace, workdir: Path) -> None:
    with NatsServer(store_dir=workdir / "nats") as server:
        env = {**os.environ, "NATS_URL": server.url, "UNION_DATA_DIR": str(workdir),
               "LOG_LEVEL": "WARNING", "OTEL_TRACES_EXPORTER": "none"}  # fmt: skip
        ports = {name: free_port() for name in SERVICES}
        procs = [start_process(n, p, {**env, "SERVICE_NAME": n}, workdir) for n, p in ports.items()]
        try:
            for port in ports.values():
                await ready(f"http://127.0.0.1:{port}")
            seeding = await seed(workdir, ports, args.members, args.claims)
            _, officers = await make_accounts(workdir, 0, 1)
            console_port = free_port()
            console_env = {**env, "SERVICE_NAME": "console"}
            console_env |= {
                f"CONSOLE_{n.upper()}_URL": f"http://127.0.0.1:{p}" for n, p in ports.items()
            }
            procs.append(start_process("console", console_port, console_env, workdir))
            console_url = f"http://127.0.0.1:{console_port}"
            await ready(console_url)
            browser = Browser(console_url)
            await browser.sign_in(officers[0][0], "First000pass")
            for path in PAGES.values():  # warm-up
                await timed(browser, path)
            results: dict[str, list[tuple[float, float]]] = {name: [] for name in PAGES}
            for _ in range(args.runs):
                for name, path in PAGES.items():
                    times = [await timed(browser, path) for _ in range(args.requests)]
                    results[name].append((percentile(times, 0.5), percentile(times, 0.95)))
            await browser.close()
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                try:
                    proc.wait(20)
                except subprocess.TimeoutExpired:
                    proc.kill()
    print(f"district zhoushan/putuo: {args.claims} claims filed in the period "
          f"({args.claims - args.claims // 20} paid, {args.claims // 20} rejected), "
          f"{args.members} members; seeding the claims took {seeding:.0f} s")  # fmt: skip
    print(f"{args.runs} runs × {args.requests} page loads, one after another (ms)")
    print(f"{'page':<22}{'p50 (median of runs)':>22}{'p95 (median of runs)':>22}  runs p50/p95")
    for name, runs in results.items():
        p50 = statistics.median(r[0] for r in runs) * 1000
        p95 = statistics.median(r[1] for r in runs) * 1000
        each = ", ".join(f"{a * 1000:.0f}/{b * 1000:.0f}" for a, b in runs)
        print(f"{name:<22}{p50:>22.1f}{p95:>22.1f}  {each}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=10000)
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="report-pages-") as workdir:
        asyncio.run(run(args, Path(workdir)))


if __name__ == "__main__":
    main()
