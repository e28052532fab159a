"""`unionctl status`, `demo` and `replay` against the real services started by `unionctl up`
(subprocesses on free ports, a real NATS, one SQLite file per service)."""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import nats
import pytest
from typer.testing import CliRunner
from union_events.clock import today as union_today
from union_events.embedded import free_port
from union_events.testing.tokens import bearer
from unionctl.cli import app


def _port_block(size: int = 4) -> int:
    while True:
        # Below the kernel's ephemeral range (32768 and up here): a port the kernel handed out
        # as free may go to a client connection before the console binds it, last of all.
        base = random.randrange(20000, 32000)
        if {8100, 8101, 8102, 8103, 8104} & set(range(base - 1, base + size)):
            continue
        try:
            for port in range(base - 1, base + size):  # base - 1: the console
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base


class Platform:
    def __init__(self, data_dir: Path, base_port: int, proc: subprocess.Popen[bytes], out: Path):
        self.data_dir, self.base_port, self.proc, self.out = data_dir, base_port, proc, out

    def cli(self, *args: str) -> tuple[int, str]:
        result = CliRunner().invoke(app, list(args), env={"COLUMNS": "220"})
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.exit_code, result.output

    @property
    def where(self) -> list[str]:
        return ["--base-port", str(self.base_port)]


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    data_dir = tmp_path_factory.mktemp("platform") / "data"
    base_port, out = _port_block(), data_dir.parent / "up.out"
    cmd = [sys.executable, "-m", "unionctl.cli", "up", "--data-dir", str(data_dir)]
    cmd += ["--nats-port", str(free_port()), "--base-port", str(base_port)]
    env = {k: v for k, v in os.environ.items() if k != "NATS_URL"} | {"COLUMNS": "200"}
    with open(out, "wb") as sink:
        proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + 90
    while "all services ready" not in out.read_text() and time.monotonic() < deadline:
        assert proc.poll() is None, out.read_text()
        time.sleep(0.2)
    assert "all services ready" in out.read_text(), out.read_text()
    platform = Platform(data_dir, base_port, proc, out)
    platform.nats_port = int(cmd[cmd.index("--nats-port") + 1])
    yield platform
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def test_up_gives_each_service_its_own_nats_user_and_refuses_anonymous_clients(platform):
    users = json.loads((platform.data_dir / "nats-users.json").read_text())
    assert {"members", "claims", "relief", "outreach", "admin"} <= set(users)

    async def connect(url: str) -> None:
        client = await nats.connect(url, allow_reconnect=False, max_reconnect_attempts=0)
        await client.close()

    url = f"nats://127.0.0.1:{platform.nats_port}"
    with pytest.raises(Exception, match=r"(?i)authorization"):
        asyncio.run(connect(url))
    asyncio.run(connect(f"nats://claims:{users['claims']}@127.0.0.1:{platform.nats_port}"))


def _row(output: str, label: str) -> str:
    """The cells after `label` in a rich table row, single-spaced."""
    line = next(line for line in output.splitlines() if label in line)
    return " ".join(line.split(label, 1)[1].replace("│", " ").split())


def _paid_claims(platform: Platform) -> dict:
    url = f"http://127.0.0.1:{platform.base_port + 1}/claims?role=paid"
    url += "&service_point=zhoushan/shengsi/center&size=500"
    request = urllib.request.Request(url, headers=bearer(platform.data_dir))  # a city admin's
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def test_status_shows_every_service_ready_with_relay_and_consumer_lag(platform) -> None:
    code, output = platform.cli("status", *platform.where)
    assert code == 0, output
    for name in ("members", "claims", "relief", "outreach"):
        port = platform.base_port + ("members", "claims", "relief", "outreach").index(name)
        assert _row(output, f"│ {name} ").startswith(f"http://127.0.0.1:{port} ok yes ok ok")
    assert "claims-members: 0" in output  # claims' durable consumer of members' events
    assert "relief-claims: 0" in output


def test_status_shows_services_that_do_not_answer_as_down_and_fails() -> None:
    args = ["status", "--base-port", str(_port_block()), "--timeout", "1"]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "220"})
    assert result.exit_code == 1
    assert result.output.count("down") == 4


def test_demo_files_claims_in_one_district_pays_them_in_another_and_settles(platform) -> None:
    args = ("demo", *platform.where, "--data-dir", str(platform.data_dir))
    code, output = platform.cli(*args)
    assert code == 0, output
    assert _row(output, "organisations created / existing") == "16 / 0"
    assert _row(output, "members created / existing") == "6 / 0"
    assert _row(output, "│ claims filed") == "6"
    today = union_today()
    if today >= date(today.year, 5, 1):  # the plan pools at city level from 1 May
        assert _row(output, "claims paid in a third district") == "6"
        assert _row(output, "paid (yuan)") == "19707.50"
        # shengsi paid dinghai's two members: 2150.00 + 2510.50
        flow = r"│ zhoushan/shengsi\s+│ zhoushan/dinghai\s+│\s+2 │\s+4660.50 │"
        assert re.search(flow, output), output
    else:
        assert "refused: district pooling until 1 May" in output
    again_code, again = platform.cli(*args)  # same data: orgs and members exist already
    assert again_code == 0, again
    assert _row(again, "organisations created / existing") == "0 / 16"
    assert _row(again, "members created / existing") == "0 / 6"


def test_replay_rebuilds_a_projection_from_the_log(platform) -> None:
    platform.cli("demo", *platform.where, "--data-dir", str(platform.data_dir))
    before = _paid_claims(platform)
    for _ in range(30):  # what the demo set going has reached the view (a loaded machine)
        time.sleep(1.0)
        if (now := _paid_claims(platform)) == before:
            break
        before = now
    args = ("replay", "claims", "claims-view", "--data-dir", str(platform.data_dir))
    code, output = platform.cli(*args)
    assert code == 0, output
    replayed, head = re.search(
        r"claims-view: (\d+) events replayed \(of its types; log head (\d+)\)", output
    ).groups()
    assert 0 < int(replayed) < int(head)  # a claim's events, not the facts beside them
    assert _paid_claims(platform) == before
    code, status = platform.cli("status", *platform.where)
    assert code == 0, status


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["replay", "payroll", "x"], "services: members, claims, relief, outreach"),
        (
            ["replay", "claims", "nope"],
            "projections: claim-rejections-view, claims-view, hospitals-view, payments-view",
        ),
    ],
)
def test_replay_of_an_unknown_service_or_projection_lists_the_valid_names(
    tmp_path: Path, args: list[str], names: str
) -> None:
    result = CliRunner().invoke(app, [*args, "--data-dir", str(tmp_path)], env={"COLUMNS": "300"})
    assert result.exit_code == 2
    assert names in " ".join(result.output.replace("│", " ").split())


def test_republish_as_the_services_own_nats_user_refills_its_deleted_stream(platform) -> None:
    """Last in this module: it deletes CLAIMS (and its consumers) under the running platform."""
    from claims.bootstrap import definition
    from union_events.testing.jetstream import stream_event_ids

    users = json.loads((platform.data_dir / "nats-users.json").read_text())
    admin = f"nats://admin:{users['admin']}@127.0.0.1:{platform.nats_port}"

    async def ids(delete: bool = False) -> list[str]:
        client = await nats.connect(admin)
        try:
            if delete:
                await client.jetstream().delete_stream("CLAIMS")
            return await stream_event_ids(client.jetstream(), "CLAIMS")
        finally:
            await client.close()

    platform.cli("demo", *platform.where, "--data-dir", str(platform.data_dir))
    before = asyncio.run(ids())
    for _ in range(30):  # what the demo set going (claims assessed on enrolments) has settled
        time.sleep(1.0)
        if (now := asyncio.run(ids())) == before:
            break
        before = now
    assert before, "the demo published claims' events"
    assert asyncio.run(ids(delete=True)) == []
    url = f"nats://127.0.0.1:{platform.nats_port}"  # no user: the command takes claims' own
    code, output = platform.cli(
        "republish", "claims", "--data-dir", str(platform.data_dir), "--nats-url", url
    )
    assert code == 0, output
    assert asyncio.run(ids()) == before
    view = definition().public_view
    conn = sqlite3.connect(f"file:{platform.data_dir / 'claims.db'}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT event_id, stream_id, type, data FROM events ORDER BY position")
        public = [i for i, s, t, d in rows if view is None or view(s, t, json.loads(d)) is not None]
    finally:
        conn.close()
    assert before == public
