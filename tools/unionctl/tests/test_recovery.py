"""`unionctl republish` and `unionctl backup` on services that run: real uvicorn processes
on a real NATS (started by the test, on a free port) with one SQLite file each."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
from typer.testing import CliRunner
from union_events.clock import today as union_today
from union_events.embedded import NatsServer, free_port
from union_events.embedded._proc import die_with_parent, tail
from union_events.testing.jetstream import stream_messages
from union_events.testing.plans import claim, plan_rules
from union_events.testing.seeding import (
    city_orgs,
    claims_heard,
    enrol,
    register_orgs,
    registered_member,
)
from union_events.testing.tokens import bearer
from union_events.testing.waiting import eventually
from unionctl.cli import app

pytestmark = pytest.mark.timeout(180)

PAID = "union.claims.claim.paid.v1"


class Services:
    """Some of the platform's services as processes, on one NATS and one data dir."""

    def __init__(self, root: Path, names: tuple[str, ...]) -> None:
        self.root, self.names = root, names
        self.data_dir = root / "data"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.nats = NatsServer(store_dir=root / "nats", port=free_port())
        self.ports = {name: free_port() for name in names}
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.headers = bearer(self.data_dir, "city_admin", "zhoushan")  # makes the key pair

    def db(self, name: str) -> Path:
        return self.data_dir / f"{name}.db"

    def start(self, name: str) -> None:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.endswith("DATABASE_URL") and k not in ("NATS_URL", "NATS_USER")
        } | {
            "NATS_URL": self.nats.url,
            "UNION_DATA_DIR": str(self.data_dir),
            "DATABASE_URL": f"sqlite+aiosqlite:///{self.db(name)}",
            "LOG_LEVEL": "WARNING",
            "OTEL_TRACES_EXPORTER": "none",
            "PYTHONUNBUFFERED": "1",
        }
        command = [sys.executable, "-m", "uvicorn", f"{name}.main:app", "--host", "127.0.0.1"]
        command += ["--port", str(self.ports[name]), "--log-level", "warning"]
        with open(self.root / f"{name}.log", "ab") as log:
            self.procs[name] = subprocess.Popen(
                command,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=die_with_parent(),
            )

    def stop(self, name: str) -> None:
        proc = self.procs.pop(name)
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)

    def client(self, name: str) -> httpx.AsyncClient:
        url = f"http://127.0.0.1:{self.ports[name]}"
        return httpx.AsyncClient(base_url=url, headers=self.headers, timeout=15, trust_env=False)

    async def ready(self, name: str, timeout: float = 60) -> dict[str, Any]:
        async with self.client(name) as client:

            async def answer() -> dict[str, Any] | None:
                with contextlib.suppress(httpx.TransportError):
                    response = await client.get("/readyz")
                    if response.status_code == 200:
                        return dict(response.json()["checks"])
                return None

            return await eventually(answer, timeout=timeout, interval=0.2, message=self.logs())

    async def settled(self, timeout: float = 60) -> None:
        """Every relay and consumer has nothing left to do."""

        async def quiet() -> bool:
            for name in self.procs:
                checks = await self.ready(name)
                lags = checks.get("consumer_lag", {}).values()
                if checks["relay_lag"] != "0" or any(lag != 0 for lag in lags):
                    return False
            return True

        await eventually(quiet, timeout=timeout, interval=0.3, message="settled")

    def logs(self) -> str:
        return "\n".join(f"== {n}\n{tail(self.root / f'{n}.log', 30)}" for n in self.procs)

    def close(self) -> None:
        for name in list(self.procs):
            with contextlib.suppress(Exception):
                self.stop(name)
        self.nats.stop()


@pytest.fixture
def services(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Services]:
    running = Services(tmp_path, request.param)
    running.nats.start()
    try:
        yield running
    finally:
        running.close()


def read_db(path: Path, query: str, *args: Any) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        return list(conn.execute(query, args))
    finally:
        conn.close()


def log_head(path: Path) -> int:
    return int(read_db(path, "SELECT COALESCE(MAX(position), 0) FROM events")[0][0])


async def cli(*args: str) -> tuple[int, str]:
    """The command as an operator runs it (in a thread: it runs its own event loop)."""
    return await asyncio.to_thread(_invoke, *args)


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "250"})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


# ---------------------------------------------------------------------------------------------
# Traffic: orgs, a plan year, members enrolled, claims filed and paid in another district.


def plan_year() -> tuple[int, str]:
    """This plan year and a hospital stay in it that has already ended."""
    day = union_today() - timedelta(days=3)
    return day.year, day.isoformat()


async def seed(members: httpx.AsyncClient, claims: httpx.AsyncClient, people: int) -> list[str]:
    year, _ = plan_year()
    putuo = [("zhoushan/putuo", "district"), ("zhoushan/putuo/center", "service_point")]
    await register_orgs(members, city_orgs("dinghai") + putuo)
    pooling = [{"level": "city", "effective_from": f"{year}-01-01"}]
    rules = plan_rules(pooling=pooling, deadline_days=365)
    answer = await claims.put(f"/plans/inpatient/years/{year}", json=rules)
    assert answer.status_code == 200, answer.text
    await claims_heard(claims, "zhoushan/putuo/center", timeout=30)
    ids = []
    for n in range(people):
        unit = "zhoushan/dinghai/u1"
        member_id = await registered_member(
            members, n + 1, unit, name=f"会员{n}", phone="13600000000"
        )
        await enrol(members, member_id, year=year)
        ids.append(member_id)
    return ids


async def file_and_pay(claims: httpx.AsyncClient, member_id: str, invoice: str) -> str:
    """A small claim (approved at once) filed in dinghai and paid in putuo."""
    _, day = plan_year()
    point, days = "zhoushan/dinghai/center", {"admitted_on": day, "discharged_on": day}
    body = claim(member_id, point, invoice, "1500.00", **days)
    filed = await claims.post("/claims", json=body)
    assert filed.status_code == 202, filed.text
    claim_id = str(filed.json()["claim_id"])

    async def approved() -> bool:
        status = (await claims.get(f"/claims/{claim_id}")).json()["status"]
        assert status in ("awaiting_eligibility", "approved"), status
        return status == "approved"

    await eventually(approved, timeout=30, message=f"claim {claim_id} approved")
    paid = await claims.post(
        f"/claims/{claim_id}/payment", json={"service_point": "zhoushan/putuo/center"}
    )
    assert paid.status_code == 200, paid.text
    return claim_id


# ---------------------------------------------------------------------------------------------
# Re-publish


def public_ids(service: str, db: Path, from_position: int = 1) -> list[str]:
    """Event ids of the log's public view, in log order: what the stream should hold."""
    module = __import__(f"{service}.bootstrap", fromlist=["definition"])
    view = module.definition().public_view
    rows = read_db(
        db,
        "SELECT event_id, stream_id, type, data FROM events WHERE position >= ? ORDER BY position",
        from_position,
    )
    return [
        event_id
        for event_id, stream_id, event_type, data in rows
        if view is None or view(stream_id, event_type, json.loads(data)) is not None
    ]


def relief_payments(services: Services) -> Counter[str]:
    """The claims relief noted as paid (its out-of-pocket note per claim.paid)."""
    rows = read_db(
        services.db("relief"),
        "SELECT data FROM events WHERE type = 'union.relief.illness.cost_noted.v1'",
    )
    return Counter(json.loads(data)["claim_id"] for (data,) in rows)


@pytest.mark.parametrize("services", [("members", "claims", "relief")], indirect=True)
async def test_republish_after_the_claims_stream_was_deleted_refills_it_and_doubles_no_effect(
    services: Services,
) -> None:
    for name in services.names:
        services.start(name)
    for name in services.names:
        await services.ready(name)
    async with services.client("members") as members, services.client("claims") as claims:
        member_ids = await seed(members, claims, people=3)
        paid = [await file_and_pay(claims, m, f"RP-{i}") for i, m in enumerate(member_ids * 2)]
        await eventually(lambda: len(relief_payments(services)) == len(paid), timeout=30)
        await services.settled()
        expected = public_ids("claims", services.db("claims"))
        heads = {name: log_head(services.db(name)) for name in ("members", "relief")}
        known_years = (await members.get("/plan-years/inpatient/" + str(plan_year()[0]))).json()

        nc = await nats.connect(services.nats.url)
        try:
            js = nc.jetstream()
            assert [h["Nats-Msg-Id"] for h, _ in await stream_messages(js, "CLAIMS")] == expected
            await js.delete_stream("CLAIMS")  # lost: its messages and its consumers
            assert await stream_messages(js, "CLAIMS") == []
            lags = (await services.ready("relief"))["consumer_lag"]  # as `unionctl status` shows
            assert lags["relief-claims"] == "unknown: NotFoundError", lags

            code, output = await cli("republish", "claims", "--data-dir", str(services.data_dir),
                               "--nats-url", services.nats.url)  # fmt: skip
            assert code == 0, output
            assert "the stream was missing: made again" in output, output
            sent = re.search(r"(\d+) events sent, (\d+) of them already in the stream", output)
            assert sent and sent.groups() == (str(len(expected)), "0"), output

            messages = await stream_messages(js, "CLAIMS")
            assert [h["Nats-Msg-Id"] for h, _ in messages] == expected  # each once, log order
            bodies = [json.loads(body) for _, body in messages]
            assert sum(b["type"] == PAID for b in bodies) == len(paid)

            # The durable consumers went with the stream: as the command says, the services
            # that consume it are restarted and make theirs again, on the whole log. Their
            # inboxes take none of it twice.
            assert "restart members, relief" in " ".join(output.split()), output
            for name in ("members", "relief"):
                services.stop(name)
                services.start(name)
            for name in ("members", "relief"):
                await services.ready(name)
            await services.settled()
            assert relief_payments(services) == Counter(paid)
            assert {n: log_head(services.db(n)) for n in heads} == heads
            years = (await members.get("/plan-years/inpatient/" + str(plan_year()[0]))).json()
            assert years == known_years

            # And the platform goes on: a claim paid now reaches relief, once.
            later = await file_and_pay(claims, member_ids[0], "RP-LATER")
            await eventually(lambda: later in relief_payments(services), timeout=30)
            await services.settled()
            assert relief_payments(services) == Counter([*paid, later])
            again = await stream_messages(js, "CLAIMS")
            assert [h["Nats-Msg-Id"] for h, _ in again] == public_ids(
                "claims", services.db("claims")
            )

            # Re-run on the full stream: JetStream's duplicate window drops every copy.
            code, output = await cli("republish", "claims", "--data-dir", str(services.data_dir),
                               "--nats-url", services.nats.url)  # fmt: skip
            assert code == 0, output
            assert f"{len(again)} events sent, {len(again)} of them already" in output, output
            assert len(await stream_messages(js, "CLAIMS")) == len(again)

            # From a position on: only the log's tail. (Deleted, not purged: JetStream still
            # drops the ids of purged messages as duplicates inside its window.)
            await js.delete_stream("CLAIMS")
            middle = log_head(services.db("claims")) // 2
            nodes = f"nats://127.0.0.1:{free_port()},{services.nats.url}"  # one node down
            code, output = await cli("republish", "claims", "--from-position", str(middle),
                                     "--data-dir", str(services.data_dir),
                                     "--nats-url", nodes)  # fmt: skip
            assert code == 0, output
            tail_ids = [h["Nats-Msg-Id"] for h, _ in await stream_messages(js, "CLAIMS")]
            assert tail_ids == public_ids("claims", services.db("claims"), middle)
            assert 0 < len(tail_ids) < len(again)
        finally:
            await nc.close()


# ---------------------------------------------------------------------------------------------
# Backups


def in_backup(path: Path, code: str) -> bool:
    rows = read_db(path, "SELECT COUNT(*) FROM events WHERE data LIKE ?", f'%"{code}"%')
    return bool(rows[0][0])


def restore(backup: Path, db: Path) -> None:
    """The service stopped: its file replaced by the backup, the old -wal and -shm removed."""
    shutil.copyfile(backup, db)
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


@pytest.mark.parametrize("services", [("claims",)], indirect=True)
async def test_a_backup_taken_while_claims_writes_restores_to_a_service_that_serves_it(
    services: Services, tmp_path: Path
) -> None:
    services.start("claims")
    await services.ready("claims")
    written: list[str] = []  # hospital codes, in the order their PUT answered 200
    stop = asyncio.Event()

    async def writer(w: int) -> None:
        async with services.client("claims") as claims:
            n = 0
            while not stop.is_set():
                code = f"H{w}-{n:04d}"
                answer = await claims.put(f"/hospitals/{code}", json={"name": code,
                                          "city": "zhoushan"})  # fmt: skip
                assert answer.status_code == 200, answer.text
                written.append(code)
                n += 1

    writers = [asyncio.create_task(writer(w)) for w in range(3)]
    try:
        await eventually(lambda: len(written) >= 30, timeout=30, message="writes under way")
        before = list(written)
        target = tmp_path / "backups" / "claims.db"
        code, output = await cli("backup", "claims", "--to", str(target),
                                 "--data-dir", str(services.data_dir))  # fmt: skip
        assert code == 0, output
        await eventually(lambda: len(written) >= len(before) + 30, timeout=30)
    finally:
        stop.set()
        await asyncio.gather(*writers)
    assert re.search(
        rf"backed up claims to {re.escape(str(target))}: \d+ bytes, \d+ events", output
    )

    # A snapshot: whatever was acknowledged before it began is in it; its log has no holes.
    assert all(in_backup(target, code) for code in before)
    kept = [code for code in written if in_backup(target, code)]
    lost = [code for code in written if code not in kept]
    assert kept and lost, "the writes went on during the backup"
    positions = [p for (p,) in read_db(target, "SELECT position FROM events ORDER BY position")]
    assert positions == list(range(1, len(positions) + 1))
    assert read_db(target, "PRAGMA integrity_check") == [("ok",)]

    # Restore as docs/operations.md says: stop, the file back, its -wal and -shm gone, start.
    # Here on a new, empty NATS (the machine rebuilt): the service serves what the backup
    # held, and `unionctl republish` gives the new stream its log.
    services.stop("claims")
    db = services.db("claims")
    restore(target, db)
    services.nats.stop()
    services.nats = NatsServer(store_dir=tmp_path / "nats-new", port=free_port())
    services.nats.start()
    services.start("claims")
    await services.ready("claims")
    async with services.client("claims") as claims:
        for code in kept[:: max(1, len(kept) // 20)] + kept[-1:]:
            assert (await claims.get(f"/hospitals/{code}")).status_code == 200, code
        for code in lost[:5]:
            answer = await claims.get(f"/hospitals/{code}")
            assert answer.json()["error"]["code"] == "unknown_hospital", code
        again = await claims.put("/hospitals/ZS-001", json={"name": "舟山医院", "city": "zhoushan"})
        assert again.status_code == 200, again.text
    await services.settled()
    code, output = await cli("republish", "claims", "--data-dir", str(services.data_dir),
                             "--nats-url", services.nats.url)  # fmt: skip
    assert code == 0, output
    nc = await nats.connect(services.nats.url)
    try:
        ids = [h["Nats-Msg-Id"] for h, _ in await stream_messages(nc.jetstream(), "CLAIMS")]
    finally:
        await nc.close()
    assert sorted(ids) == sorted(public_ids("claims", db))


@pytest.mark.parametrize("where", ["--database-url", "the service's container"])
def test_backup_refuses_postgresql_and_points_to_its_own_tools(tmp_path: Path, where) -> None:
    url = "postgresql://claims:secret@127.0.0.1:5999/claims"
    args = ["backup", "claims", "--to", str(tmp_path / "c.db"), "--data-dir", str(tmp_path)]
    env = {"COLUMNS": "250", "CLAIMS_DATABASE_URL": ""}
    if where == "--database-url":
        args += ["--database-url", url]
    else:  # as `docker compose exec claims unionctl backup claims` runs it
        env |= {"SERVICE_NAME": "claims", "DATABASE_URL": url}
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "is a PostgreSQL database" in said and "pg_dump" in said and "pg_basebackup" in said
    assert "secret" not in said
    assert not (tmp_path / "c.db").exists()
