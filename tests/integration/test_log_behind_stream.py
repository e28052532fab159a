"""A log behind its stream: claims' SQLite file restored from an older `unionctl backup` while
its stream kept what was published since. The service stays not-ready with the reason (in
/readyz and `unionctl status`), refuses commands with 503 `log_behind_stream`, and starts again
once an operator accepts the loss with `unionctl accept-loss claims`; its new events then reach the
stream with positions above the stream's.
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
from typer.testing import CliRunner
from union_events.embedded import NatsServer, free_port
from union_events.testing.jetstream import publish_event
from union_events.testing.processes import ServiceProcess, readiness, service_env
from union_events.testing.seeding import CITY_POOLED_RULES, waiting_claim
from union_events.testing.tokens import bearer
from union_events.testing.waiting import eventually
from union_events.wire import LOG_POSITION_HEADER
from unionctl.cli import app

pytestmark = pytest.mark.timeout(180)

POINT = "zhoushan/dinghai/center"
RULES = CITY_POOLED_RULES


def claim(n: int) -> dict[str, Any]:
    return waiting_claim(f"OLD-{n:05d}", POINT)


async def tail_position(js: Any) -> int:
    """The log position stamped on the CLAIMS stream's last message."""
    info = await js.stream_info("CLAIMS")
    msg = await js.get_msg("CLAIMS", seq=info.state.last_seq)
    return int(msg.headers[LOG_POSITION_HEADER])


async def gauges(client: httpx.AsyncClient) -> dict[str, float]:
    """What an alert rule reads from /metrics: the log behind its stream, the relay active."""
    text = (await client.get("/metrics")).text
    names = ("union_log_behind_stream", "union_relay_active")
    return {
        name: float(value)
        for name, _, value in (line.partition(" ") for line in text.splitlines())
        if name in names
    }


def read_only(path: Path, query: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        return list(conn.execute(query))
    finally:
        conn.close()


def unionctl(*args: str) -> tuple[int, str]:
    """Run `unionctl ARGS` as an operator would; (exit code, output)."""
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "250", "NO_COLOR": "1"})
    return result.exit_code, result.output


async def test_a_restored_old_backup_keeps_claims_not_ready_until_the_loss_is_accepted(
    tmp_path: Path,
):
    nats_server = NatsServer(store_dir=tmp_path / "nats", port=free_port())
    nats_server.start()
    data = tmp_path / "data"
    db = data / "claims.db"
    env = service_env("claims", data, nats_server.url, f"sqlite+aiosqlite:///{db}")
    claims = ServiceProcess("claims", env, tmp_path / "claims.log")
    client = httpx.AsyncClient(base_url=claims.url, headers=bearer(data), timeout=10)
    nc = await nats.connect(nats_server.url)
    js = nc.jetstream()

    async def ready() -> bool:
        answer = await readiness(client)
        return answer is not None and answer[0] == 200

    async def file_and_stop(claims_from: int, count: int) -> int:
        """File `count` claims, wait until they are on the stream, stop claims."""
        for n in range(claims_from, claims_from + count):
            answer = await client.post("/claims", json=claim(n))
            assert answer.status_code == 202, answer.text

        async def relayed() -> bool:
            return (await readiness(client) or (0, {}))[1]["checks"]["relay_lag"] == "0"

        await eventually(relayed, timeout=30, message="everything published")
        claims.stop()
        return await tail_position(js)

    try:
        claims.start()
        await eventually(ready, timeout=60, message="claims ready")
        await seed_claims(client, nats_server.url)
        await file_and_stop(0, 3)
        claims.start()
        await eventually(ready, timeout=60, message="claims ready")
        backup = tmp_path / "claims-0200.db"  # the nightly backup, taken while claims runs
        taken = await asyncio.to_thread(
            unionctl, "backup", "claims", "--to", str(backup), "--data-dir", str(data)
        )
        assert taken[0] == 0, taken[1]
        stream_ahead = await file_and_stop(3, 4)  # what it publishes now, the backup lacks

        for file in data.glob("claims.db*"):  # restored as docs/operations.md says
            file.unlink()
        shutil.copyfile(backup, db)
        claims.start()

        async def answering() -> tuple[int, dict[str, Any]] | None:
            return await readiness(client)

        status, body = await eventually(answering, timeout=60, message="claims answers")
        assert status == 503, body
        assert body["checks"]["log"] == "behind_stream"
        assert "log behind stream CLAIMS" in body["reason"]
        assert f"up to position {stream_ahead}" in body["reason"]
        refused = await client.post("/claims", json=claim(100))
        assert refused.status_code == 503
        assert refused.json()["error"]["code"] == "log_behind_stream"
        assert await tail_position(js) == stream_ahead  # nothing published meanwhile
        assert await gauges(client) == {"union_log_behind_stream": 1.0, "union_relay_active": 0.0}

        shown = await asyncio.to_thread(
            unionctl, "status", "--base-port", str(claims.port - 1), "--timeout", "2"
        )
        assert shown[0] == 1
        assert "not ready claims: log behind stream CLAIMS" in shown[1], shown[1]

        accepted = await asyncio.to_thread(
            unionctl, "accept-loss", "claims", "--data-dir", str(data), "--yes",
            "--by", "ops@zhoushan", "--note", "restored the 02:00 copy",
        )  # fmt: skip
        assert accepted[0] == 0, accepted[1]
        assert f"..{stream_ahead} (" in accepted[1], accepted[1]  # the lost positions, said
        assert "loss accepted" in accepted[1]

        await eventually(ready, timeout=30, message="claims ready after the loss was accepted")
        answer = await client.post("/claims", json=claim(101))
        assert answer.status_code == 202, answer.text

        async def new_event_on_stream() -> bool:
            return await tail_position(js) > stream_ahead

        await eventually(new_event_on_stream, timeout=30, message="the new claim on CLAIMS")
        assert await gauges(client) == {"union_log_behind_stream": 0.0, "union_relay_active": 1.0}
        again = await asyncio.to_thread(
            unionctl, "accept-loss", "claims", "--data-dir", str(data), "--yes"
        )
        assert again[0] == 1  # nothing left to accept
        claims.stop()  # and a restart is ready at once: the stream's tail is in the log now
        claims.start()
        await eventually(ready, timeout=60, message="claims ready after a restart")
    finally:
        await nc.close()
        await client.aclose()
        claims.stop()
        nats_server.stop()
        print(claims.log_tail())


async def test_the_lost_events_come_back_with_a_newer_copy_and_claims_is_ready_without_a_loss(
    tmp_path: Path,
):
    """The other way out (docs/operations.md, "Bringing the lost events back"): the old copy
    restored by mistake keeps claims not ready; a newer `unionctl backup` put in its place
    makes it ready by itself, every claim back, nothing to accept, positions without a gap."""
    nats_server = NatsServer(store_dir=tmp_path / "nats", port=free_port())
    nats_server.start()
    data = tmp_path / "data"
    db = data / "claims.db"
    env = service_env("claims", data, nats_server.url, f"sqlite+aiosqlite:///{db}")
    claims = ServiceProcess("claims", env, tmp_path / "claims.log")
    client = httpx.AsyncClient(base_url=claims.url, headers=bearer(data), timeout=10)
    nc = await nats.connect(nats_server.url)
    js = nc.jetstream()
    filed: list[str] = []

    async def ready() -> bool:
        answer = await readiness(client)
        return answer is not None and answer[0] == 200

    async def file(claims_from: int, count: int) -> int:
        """File `count` claims, wait until they are on the stream; the stream's tail."""
        for n in range(claims_from, claims_from + count):
            answer = await client.post("/claims", json=claim(n))
            assert answer.status_code == 202, answer.text
            filed.append(str(answer.json()["claim_id"]))

        async def relayed() -> bool:
            return (await readiness(client) or (0, {}))[1]["checks"]["relay_lag"] == "0"

        await eventually(relayed, timeout=30, message="everything published")
        return await tail_position(js)

    async def backup(to: Path) -> None:
        taken = await asyncio.to_thread(
            unionctl, "backup", "claims", "--to", str(to), "--data-dir", str(data)
        )
        assert taken[0] == 0, taken[1]

    def restore(copy: Path) -> None:  # as docs/operations.md, Backups, says
        for found in data.glob("claims.db*"):
            found.unlink()
        shutil.copyfile(copy, db)

    try:
        claims.start()
        await eventually(ready, timeout=60, message="claims ready")
        await seed_claims(client, nats_server.url)
        await file(0, 3)
        old, newer = tmp_path / "claims-0200.db", tmp_path / "claims-0400.db"
        await backup(old)
        await file(3, 4)
        await backup(newer)  # the later copy, holding everything published
        stream_tail = await tail_position(js)
        claims.stop()

        restore(old)  # the wrong copy first
        claims.start()

        async def answering() -> tuple[int, dict[str, Any]] | None:
            return await readiness(client)

        status, body = await eventually(answering, timeout=60, message="claims answers")
        assert (status, body["checks"]["log"]) == (503, "behind_stream"), body
        assert (await client.get(f"/claims/{filed[-1]}")).status_code == 404  # lost in it
        claims.stop()

        restore(newer)  # the way out: a newer copy in its place; no accept-loss
        claims.start()
        await eventually(ready, timeout=60, message="claims ready on the newer copy")
        for claim_id in filed:  # every claim filed is back
            assert (await client.get(f"/claims/{claim_id}")).status_code == 200, claim_id
        assert await gauges(client) == {"union_log_behind_stream": 0.0, "union_relay_active": 1.0}
        answer = await client.post("/claims", json=claim(100))
        assert answer.status_code == 202, answer.text

        async def next_on_stream() -> bool:
            return await tail_position(js) > stream_tail

        await eventually(next_on_stream, timeout=30, message="the new claim on CLAIMS")
        positions = [row[0] for row in read_only(db, "SELECT position FROM events")]
        assert sorted(positions) == list(range(1, len(positions) + 1))  # numbered on, no gap
        nothing = await asyncio.to_thread(
            unionctl, "accept-loss", "claims", "--data-dir", str(data), "--yes"
        )
        assert nothing[0] == 1, nothing[1]  # nothing was lost, so nothing to accept
    finally:
        await nc.close()
        await client.aclose()
        claims.stop()
        nats_server.stop()
        print(claims.log_tail())


async def seed_claims(client: httpx.AsyncClient, nats_url: str) -> None:
    """What a claim needs: the service point (heard from members over NATS), the hospital and
    the plan year's rules."""
    registered = "union.members.org.registered.v1"
    point = {"path": POINT, "name": "定海服务站", "level": "service_point",
             "parent": "zhoushan/dinghai"}  # fmt: skip
    await publish_event(nats_url, "/union/members", f"org-{POINT}", registered, point)

    async def point_known() -> bool:
        return (await client.get(f"/orgs/{POINT}")).status_code == 200

    await eventually(point_known, timeout=30, message="claims heard of the service point")
    hospital = {"name": "舟山医院", "city": "zhoushan"}
    assert (await client.put("/hospitals/ZS-001", json=hospital)).status_code == 200
    assert (await client.put("/plans/inpatient/years/2026", json=RULES)).status_code == 200
