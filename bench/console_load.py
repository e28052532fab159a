"""The staff console under load: N signed-in clerk sessions (and one district officer per ten
clerks) browsing the console's pages concurrently, against the console and the four services
started here on the embedded default (uvicorn processes, SQLite files, an embedded NATS), as
under `unionctl up`.

Clerks open the home page and the desks' pages that exist (会员服务, 互助保障) and, between
page views, file a claim (受理) through the console's filing form as a browser does: the form
(`GET /claims/file`), the member looked up by union card number (`POST /claims/file`,
action=lookup), the claim filed (action=submit: 303 to `/claims/filed/{id}`) and the
confirmation page that redirect leads to; each filing has a fresh invoice number. Officers
also open the accounts list and a clerk's account page (with its history). Before the clock
starts the city is seeded through the services' APIs (a city admin's token): orgs, a hospital,
the inpatient plan year (city pooling, a high annual cap) and one enrolled Putuo member per
clerk, heard across NATS (members hears the plan year from claims; claims hears the service
point from members). `--no-filing`: browsing only, as before. Each session signs in
through the sign-in form (CSRF token, one-time password, the forced password change) before the
clock starts, then for `--duration` seconds requests a page, waits `--think` seconds (a random
time around it; 0: back to back), and so on. A page counts as an error unless it answers 200
with the page itself (no redirect to the sign-in page); a filing counts as an error unless
every step answers as above and it ends on the claim's confirmation page (互助金申请已受理).

Prints p50/p95/p99/max page times (the form and the lookup as page rows; "file claim" is the
submit plus the confirmation page it redirects to), pages per second, filings and errors.
Run: `uv run python bench/console_load.py [--sessions 50] [--duration 60] [--think 0.5]
[--no-filing]`.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp
from client import Client, ClientError  # bench/client.py: aiohttp, not httpx (see there)
from console.bootstrap import open_accounts
from console.settings import ConsoleSettings
from members.domain.national_id import make_national_id
from union_events.embedded import NatsServer, free_port
from union_events.testing.plans import TWO_TIERS, plan_rules
from union_events.testing.tokens import bearer

SERVICES = ("members", "claims", "relief", "outreach")
CLERK_PAGES = ("/", "/members", "/claims")  # the desks' pages that exist today
OFFICER_PAGES = ("/", "/accounts", "/accounts/{clerk}", "/members", "/claims")
PASSWORD = "Zhoushan2026bench"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
ORGS = (
    ("zhoushan", "舟山市总工会", "city"),
    ("zhoushan/putuo", "普陀区总工会", "district"),
    ("zhoushan/putuo/center", "普陀区职工服务中心", "service_point"),
    ("zhoushan/putuo/fishery", "普陀渔业公司工会", "unit"),
    ("zhoushan/dinghai", "定海区总工会", "district"),
    ("zhoushan/dinghai/center", "定海区职工服务中心", "service_point"),
    ("zhoushan/dinghai/port", "定海港务公司工会", "unit"),
)
FILE = "file claim"  # the step of a clerk's round that files a claim (not a page path)
TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()  # the federation's today
ADMITTED, DISCHARGED = TODAY - timedelta(days=12), TODAY - timedelta(days=5)
YEAR = ADMITTED.year
RULES = plan_rules(  # city pooling, a high annual cap: every filing is accepted
    pooling=[{"level": "city", "effective_from": f"{YEAR}-01-01"}],
    tiers=TWO_TIERS,
    annual_cap="10000000.00",
    auto_approve_below="1000.00",
)
HOSPITAL = "ZS-001"
FILED = re.compile(r"/claims/filed/([0-9A-Za-z-]+)$")


def start(module: str, port: int, env: dict[str, str], logs: Path) -> subprocess.Popen[bytes]:
    """`module` on 127.0.0.1:`port`; its output in `logs/<module>.log` (shown if it fails)."""
    command = [sys.executable, "-m", "uvicorn", f"{module}.main:app", "--port", str(port)]
    command += ["--log-level", "warning", "--no-access-log", "--timeout-keep-alive", "120"]
    with open(logs / f"{module}.log", "wb") as sink:
        return subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT)


async def ready(url: str) -> None:
    async with Client(url) as client:
        for _ in range(600):
            try:
                if (await client.get("/readyz")).status_code == 200:
                    return
            except ClientError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{url} never became ready")


async def make_accounts(
    data_dir: Path, clerks: int, officers: int
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Clerks of Putuo's service centre and officers of Putuo, with a known first password."""
    accounts = await open_accounts(ConsoleSettings(data_dir=data_dir))
    made: dict[str, list[tuple[str, str]]] = {"clerk": [], "district_officer": []}
    try:
        for role, count, org in (
            ("clerk", clerks, "zhoushan/putuo/center"),
            ("district_officer", officers, "zhoushan/putuo"),
        ):
            for i in range(count):
                username = f"{'clerk' if role == 'clerk' else 'officer'}.{i:03d}"
                issued = await accounts.create(
                    None,
                    username=username,
                    display_name=f"{'经办' if role == 'clerk' else '审核'}{i}",
                    role=role,
                    org=org,
                    password=f"First{i:03d}pass",
                )
                made[role].append((username, issued.account.account_id))
    finally:
        await accounts.store.close()
    return made["clerk"], made["district_officer"]


class Browser:
    """One person's browser: its own cookie jar (session and CSRF cookies)."""

    def __init__(self, base_url: str) -> None:
        self.http = aiohttp.ClientSession(
            base_url,
            cookie_jar=aiohttp.CookieJar(unsafe=True),  # cookies for 127.0.0.1
            timeout=aiohttp.ClientTimeout(total=60),
        )

    async def page(self, path: str) -> tuple[int, str, str]:
        async with self.http.get(path, allow_redirects=False) as response:
            return response.status, response.headers.get("location", ""), await response.text()

    async def post(self, path: str, form: dict[str, str]) -> tuple[int, str]:
        async with self.http.post(path, data=form, allow_redirects=False) as response:
            await response.read()
            return response.status, response.headers.get("location", "")

    async def submit(self, path: str, form: dict[str, str]) -> tuple[int, str, str]:
        async with self.http.post(path, data=form, allow_redirects=False) as response:
            return response.status, response.headers.get("location", ""), await response.text()

    async def sign_in(self, username: str, first_password: str) -> None:
        _, _, html = await self.page("/login")
        status, location = await self.post(
            "/login",
            {
                "csrf_token": _csrf(html),
                "username": username,
                "password": first_password,
                "next": "/",
            },
        )
        assert (status, location) == (303, "/password"), (username, status, location)
        _, _, html = await self.page("/password")
        form = {"csrf_token": _csrf(html), "current": first_password, "new": PASSWORD}
        status, location = await self.post("/password", {**form, "confirm": PASSWORD})
        assert status == 303 and location.startswith("/?notice"), (username, status, location)

    async def close(self) -> None:
        await self.http.close()


def _csrf(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


async def browse(
    browser: Browser,
    pages: list[tuple[str, str]],
    until: float,
    think: float,
    times: dict[str, list[float]],
    errors: Counter[str],
) -> None:
    step = random.randrange(len(pages))
    while time.monotonic() < until:
        name, path = pages[step % len(pages)]
        step += 1
        if name == FILE:
            await file_claim(browser, path, times, errors)
            if think > 0:
                await asyncio.sleep(random.uniform(0.5 * think, 1.5 * think))
            continue
        started = time.perf_counter()
        try:
            status, location, html = await browser.page(path)
        except (aiohttp.ClientError, TimeoutError) as exc:
            errors[f"{name}: {type(exc).__name__}"] += 1
        else:
            elapsed = time.perf_counter() - started
            if status != 200:
                errors[f"{name}: HTTP {status} {location}"] += 1
            elif 'lang="zh-CN"' not in html or "user-name" not in html:
                errors[f"{name}: not the signed-in page"] += 1
            else:
                times.setdefault(name, []).append(elapsed)
        if think > 0:
            await asyncio.sleep(random.uniform(0.5 * think, 1.5 * think))


INVOICES = itertools.count(1)


async def file_claim(
    browser: Browser, card_no: str, times: dict[str, list[float]], errors: Counter[str]
) -> None:
    """One claim through the filing form: the form, the member looked up, the claim filed
    and its confirmation page. Times the form and the lookup as pages, and "file claim" as
    the submit with the confirmation page its redirect leads to."""
    number = f"BENCH-{os.getpid()}-{next(INVOICES):07d}"  # a fresh invoice number
    try:
        started = time.perf_counter()
        status, location, html = await browser.page("/claims/file")
        if status != 200 or 'name="member"' not in html:
            errors[f"{FILE}: form HTTP {status} {location}"] += 1
            return
        times.setdefault("/claims/file", []).append(time.perf_counter() - started)
        form = {
            "csrf_token": _csrf(html),
            "member": card_no,
            "plan_id": "inpatient",
            "admitted_on": ADMITTED.isoformat(),
            "discharged_on": DISCHARGED.isoformat(),
            "rows": "1",
            "inv-0-hospital": HOSPITAL,
            "inv-0-number": number,
            "inv-0-amount": "6230.00",
            "inv-0-issued_on": DISCHARGED.isoformat(),
        }
        started = time.perf_counter()
        status, location, html = await browser.submit("/claims/file", form | {"action": "lookup"})
        if status != 200 or 'data-testid="member-found"' not in html:
            errors[f"{FILE}: lookup HTTP {status} {location}"] += 1
            return
        times.setdefault("/claims/file lookup", []).append(time.perf_counter() - started)
        started = time.perf_counter()
        status, location, html = await browser.submit("/claims/file", form | {"action": "submit"})
        filed = FILED.search(location)
        if status != 303 or filed is None:
            problem = re.search(r'class="form-error"[^>]*>(?:<[^>]+>[^<]*</span>)?([^<]*)', html)
            why = problem.group(1).strip() if problem else ""
            errors[f"{FILE}: submit HTTP {status} {location} {why}".rstrip()] += 1
            return
        status, location, html = await browser.page(location)
        if status != 200 or "互助金申请已受理" not in html or filed.group(1) not in html:
            errors[f"{FILE}: confirmation HTTP {status} {location}"] += 1
            return
        times.setdefault(FILE, []).append(time.perf_counter() - started)
    except (aiohttp.ClientError, TimeoutError) as exc:
        errors[f"{FILE}: {type(exc).__name__}"] += 1


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def run(args: argparse.Namespace, workdir: Path) -> None:
    officers = max(1, args.sessions // 10)
    with NatsServer(store_dir=workdir / "nats") as server:
        env = {
            **os.environ,
            "NATS_URL": server.url,
            "UNION_DATA_DIR": str(workdir),
            "LOG_LEVEL": "WARNING",
            "OTEL_TRACES_EXPORTER": "none",
        }
        ports = {name: free_port() for name in SERVICES}
        procs = [
            start(name, port, {**env, "SERVICE_NAME": name}, workdir)
            for name, port in ports.items()
        ]
        try:
            for port in ports.values():
                await ready(f"http://127.0.0.1:{port}")
            cards = await seed(workdir, ports, args.sessions, filing=not args.no_filing)
            clerks, officer_accounts = await make_accounts(workdir, args.sessions, officers)
            console_port = free_port()
            console_env = {
                **env,
                "SERVICE_NAME": "console",
                **{f"CONSOLE_{n.upper()}_URL": f"http://127.0.0.1:{p}" for n, p in ports.items()},
            }
            procs.append(start("console", console_port, console_env, workdir))
            console_url = f"http://127.0.0.1:{console_port}"
            await ready(console_url)

            browsers: list[tuple[Browser, list[tuple[str, str]]]] = []
            signing_in = time.perf_counter()
            sign_ins = []
            for i, (username, _) in enumerate(clerks):
                browser = Browser(console_url)
                sign_ins.append(browser.sign_in(username, f"First{i:03d}pass"))
                pages = [(p, p) for p in CLERK_PAGES]
                if not args.no_filing:
                    pages.append((FILE, cards[i]))  # this clerk's member, by card number
                browsers.append((browser, pages))
            for i, (username, _) in enumerate(officer_accounts):
                browser = Browser(console_url)
                sign_ins.append(browser.sign_in(username, f"First{i:03d}pass"))
                clerk_id = clerks[i % len(clerks)][1]
                pages = [(p, p.format(clerk=clerk_id)) for p in OFFICER_PAGES]
                browsers.append((browser, pages))
            await asyncio.gather(*sign_ins)
            signed_in = time.perf_counter() - signing_in
            times: dict[str, list[float]] = {}
            errors: Counter[str] = Counter()
            for browser, pages in browsers:  # warm-up: each page once (org names, templates)
                for name, path in pages:
                    if name != FILE:
                        await browser.page(path)
            if not args.no_filing:  # warm-up: one filing (the form's template, the lookup)
                browser, pages = browsers[0]
                warm: Counter[str] = Counter()
                await file_claim(browser, pages[-1][1], {}, warm)
                if warm:
                    raise RuntimeError(f"the warm-up filing failed: {dict(warm)}")
            started = time.monotonic()
            until = started + args.duration
            await asyncio.gather(
                *[browse(b, pages, until, args.think, times, errors) for b, pages in browsers]
            )
            elapsed = time.monotonic() - started
            for browser, _ in browsers:
                await browser.close()
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                try:
                    proc.wait(20)
                except subprocess.TimeoutExpired:
                    proc.kill()
    report(args, officers, signed_in, elapsed, times, errors)


async def seed(workdir: Path, ports: dict[str, int], clerks: int, filing: bool) -> list[str]:
    """The orgs; for filing also the hospital, the plan year and one enrolled Putuo member per
    clerk (their card numbers), through the services' APIs as a seeding script does."""
    headers = bearer(workdir)  # a city admin's token, signed with the services' key
    async with (
        Client(f"http://127.0.0.1:{ports['members']}", headers) as members,
        Client(f"http://127.0.0.1:{ports['claims']}", headers) as claims,
    ):
        for path, name, level in ORGS:
            body = {"path": path, "name": name, "level": level}
            (await members.post("/orgs", json=body)).raise_for_status()
        if not filing:
            return []
        (await claims.put(f"/plans/inpatient/years/{YEAR}", json=RULES)).raise_for_status()
        hospital = {"name": "舟山医院", "city": "zhoushan"}  # the city's hospital registry
        (await claims.put(f"/hospitals/{HOSPITAL}", json=hospital)).raise_for_status()
        campaign = {"campaign_id": "bench", "district": "zhoushan/putuo", "name": "bench"}
        (await members.post("/campaigns", json=campaign)).raise_for_status()
        batch = [
            {
                "national_id": make_national_id("330903", date_of_birth(i), i),
                "name": f"会员{i}",
                "phone": "13800000000",
                "unit": "zhoushan/putuo/fishery",
            }
            for i in range(clerks)
        ]
        answer = await members.post("/campaigns/bench/signups", json={"signups": batch})
        answer.raise_for_status()
        signed = answer.json()["members"]
        await until_ok(claims, "/orgs/zhoushan/putuo/center", "claims never heard of the point")
        known = f"/plan-years/inpatient/{YEAR}"  # members hears claims' plan years over NATS
        await until_ok(members, known, f"members never heard of plan year inpatient {YEAR}")
        for member in signed:
            enrolment = {"plan_id": "inpatient", "year": YEAR}
            url = f"/members/{member['member_id']}/enrolments"
            (await members.post(url, json=enrolment)).raise_for_status()
        cards = [str(member["card_no"]) for member in signed]
        for _ in range(300):  # the card lookup reads a view: wait for the last card
            found = await members.post("/members/lookup", json={"card_no": cards[-1]})
            if found.status_code == 200 and found.json()["total"]:
                break
            await asyncio.sleep(0.1)
        else:
            raise RuntimeError("members never found the last card")
        return cards


def date_of_birth(i: int) -> date:
    return date(1970 + i % 30, 1 + i % 12, 1 + i % 28)


async def until_ok(client: Client, path: str, why: str) -> None:
    for _ in range(600):
        if (await client.get(path)).status_code == 200:
            return
        await asyncio.sleep(0.1)
    raise RuntimeError(why)


def report(
    args: argparse.Namespace,
    officers: int,
    signed_in: float,
    elapsed: float,
    times: dict[str, list[float]],
    errors: Counter[str],
) -> None:
    pages = [t for name, values in times.items() if name != FILE for t in values]
    filings = times.get(FILE, [])
    every = pages + filings
    ms = 1000.0
    print(
        f"console under load: {args.sessions} clerk + {officers} officer sessions, "
        f"{args.duration:.0f} s, think {args.think} s (signed in in {signed_in:.1f} s)"
    )
    print(f"{'page':<24}{'pages':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    rows = [*sorted((k, v) for k, v in times.items() if k != FILE), ("all pages", pages)]
    rows += [(FILE, filings), ("all (pages + filings)", every)] if filings else []
    for path, values in rows:
        if not values:
            continue
        print(
            f"{path:<24}{len(values):>8}{statistics.median(values) * ms:>9.1f}"
            f"{percentile(values, 0.95) * ms:>9.1f}{percentile(values, 0.99) * ms:>9.1f}"
            f"{max(values) * ms:>9.1f}"
        )
    print(
        f"pages/s: {len(pages) / elapsed:.1f}   filings: {len(filings)} "
        f"({len(filings) / elapsed:.1f}/s)   errors: {sum(errors.values())}"
    )
    for kind, count in errors.most_common(10):
        print(f"  {count} × {kind}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50, help="clerk sessions (default 50)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of browsing")
    parser.add_argument(
        "--think", type=float, default=0.5, help="seconds between a session's pages (0: none)"
    )
    parser.add_argument(
        "--no-filing", action="store_true", help="browse only: clerks file no claims"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="console-load-") as workdir:
        try:
            asyncio.run(run(args, Path(workdir)))
        except BaseException:
            for log in sorted(Path(workdir).glob("*.log")):  # what the processes said
                tail = log.read_text(errors="replace")[-3000:]
                print(f"--- {log.name}\n{tail}", file=sys.stderr)
            raise


if __name__ == "__main__":
    main()
