"""`unionctl token` and `unionctl up` (as a real subprocess, on free ports)."""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner
from union_events.embedded import NatsServer, free_port
from union_events.embedded._proc import pid_alive
from union_events.tokens import verify_token
from unionctl.cli import app
from unionctl.services import SERVICES

STUB_APP = """
import os, threading, time
from fastapi import FastAPI, Response

NAME = os.environ["SERVICE_NAME"]


app = FastAPI()
dying = []

@app.get("/readyz")
def readyz(response: Response) -> dict[str, str]:
    if os.environ.get("STUB_DIE") == NAME and not dying:  # once it has been seen ready
        dying.append(threading.Thread(target=lambda: (time.sleep(1.5), os._exit(3))))
        dying[0].start()
    if os.environ.get("STUB_UNREADY") == NAME:
        response.status_code = 503
    keys = ("SERVICE_NAME", "DATABASE_URL", "NATS_URL", "UNION_DATA_DIR")
    return {k: os.environ.get(k, "") for k in keys}
"""


def test_token_verifies_with_public_key(tmp_path: Path) -> None:
    args = ["token", "--role", "clerk", "--org", "zhoushan/dinghai", "--data-dir", str(tmp_path)]
    result = CliRunner().invoke(app, [*args, "--subject", "clerk-1", "--ttl", "600"])
    assert result.exit_code == 0, result.output
    public = (tmp_path / "keys" / "jwt_ed25519.pub.pem").read_bytes()
    claims = verify_token(result.output.strip(), public, issuer="unionctl")
    assert claims["sub"] == "clerk-1" and claims["role"] == "clerk"
    assert claims["org"] == "zhoushan/dinghai"
    assert claims["exp"] - claims["iat"] == 600


@pytest.mark.parametrize(("role", "org"), [("boss", "zhoushan"), ("clerk", "Zhoushan/X")])
def test_token_rejects_bad_role_or_org(tmp_path: Path, role: str, org: str) -> None:
    args = ["token", "--role", role, "--org", org, "--data-dir", str(tmp_path)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2


def _port_block(size: int = 4) -> int:
    """A base port with `size` consecutive free ports and a free one below it for the console
    (never the fixed defaults)."""
    while True:
        # Below the kernel's ephemeral range (32768 and up here): a port the kernel handed out
        # as free may go to a client connection before the console binds it, last of all.
        base = random.randrange(20000, 32000)
        try:
            for port in range(base - 1, base + size):
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", port))
        except OSError:
            continue
        if not {4222, 4322, 8100, 8101, 8102, 8103, 8104} & set(range(base - 1, base + size)):
            return base


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


class Up:
    """`unionctl up` as a subprocess; output goes to a file we can poll."""

    def __init__(self, data_dir: Path, env: dict[str, str], ready_timeout: float = 90) -> None:
        self.base_port = _port_block()
        self.out_path = data_dir.parent / "up.out"
        cmd = [sys.executable, "-m", "unionctl.cli", "up", "--data-dir", str(data_dir)]
        cmd += ["--nats-port", str(free_port()), "--base-port", str(self.base_port)]
        cmd += ["--ready-timeout", str(ready_timeout)]
        env = {**os.environ, "COLUMNS": "200", **env}
        env.pop("NATS_URL", None)
        if "EXTERNAL_NATS_URL" in env:
            env["NATS_URL"] = env.pop("EXTERNAL_NATS_URL")
        with open(self.out_path, "wb") as out:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)

    @property
    def output(self) -> str:
        return self.out_path.read_text(errors="replace")

    def wait_for(self, text: str, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.proc.poll() is None:
            if text in self.output:
                return True
            time.sleep(0.2)
        return text in self.output

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def stubs(tmp_path: Path) -> Path:
    root = tmp_path / "stubs"
    for name in SERVICES:
        (root / name).mkdir(parents=True)
        (root / name / "__init__.py").write_text("")
        (root / name / "main.py").write_text(STUB_APP)
    return root


StartUp = Callable[..., "Up"]


@pytest.fixture
def run_up(tmp_path: Path) -> Iterator[StartUp]:
    started: list[Up] = []

    def start(env: dict[str, str], ready_timeout: float = 90) -> Up:
        up = Up(tmp_path / "data", env, ready_timeout)
        started.append(up)
        return up

    yield start
    for up in started:
        up.stop()


def _check_up_and_sigterm(up: Up, data_dir: Path) -> None:
    assert up.wait_for("all services ready", 120), up.output
    pids = _descendants(up.proc.pid)
    assert len(pids) >= 6, up.output  # nats-server + four services + the console
    for offset in range(-1, 4):  # the console listens just below the services
        url = f"http://127.0.0.1:{up.base_port + offset}/readyz"
        with urllib.request.urlopen(url, timeout=5) as response:
            assert response.status == 200
    assert (data_dir / "keys" / "jwt_ed25519.pem").exists()
    up.proc.send_signal(signal.SIGTERM)
    assert up.proc.wait(60) == 0, up.output
    time.sleep(0.2)
    assert [pid for pid in pids if pid_alive(pid)] == []


def test_up_runs_the_services_and_stops_cleanly_on_sigterm(run_up: StartUp, tmp_path: Path) -> None:
    _check_up_and_sigterm(run_up({}), tmp_path / "data")


def test_up_with_stub_services_passes_env_and_stops_cleanly(
    run_up: StartUp, stubs: Path, tmp_path: Path
) -> None:
    up = run_up({"PYTHONPATH": str(stubs), "CLAIMS_DATABASE_URL": "postgresql://x@/claims"})
    assert up.wait_for("all services ready", 120), up.output
    body = urllib.request.urlopen(f"http://127.0.0.1:{up.base_port + 1}/readyz").read().decode()
    assert '"SERVICE_NAME":"claims"' in body and "postgresql://x@/claims" in body
    members = urllib.request.urlopen(f"http://127.0.0.1:{up.base_port}/readyz").read().decode()
    assert f"sqlite+aiosqlite:///{tmp_path / 'data' / 'members.db'}" in members
    _check_up_and_sigterm(up, tmp_path / "data")


def test_up_stops_everything_when_a_service_dies(run_up: StartUp, stubs: Path) -> None:
    # the stub dies 1.5 s after its first readiness answer
    up = run_up({"PYTHONPATH": str(stubs), "STUB_DIE": "relief"})
    assert up.wait_for("relief ready at", 120), up.output
    pids = _descendants(up.proc.pid)
    assert up.proc.wait(60) == 1, up.output
    assert "relief exited unexpectedly" in up.output
    time.sleep(0.2)
    assert [pid for pid in pids if pid_alive(pid)] == []


def test_up_fails_when_a_service_never_gets_ready(run_up: StartUp, stubs: Path) -> None:
    up = run_up({"PYTHONPATH": str(stubs), "STUB_UNREADY": "outreach"}, ready_timeout=12)
    assert up.proc.wait(120) == 1, up.output
    assert "outreach not ready within 12s" in up.output
    assert "last lines of" in up.output and "/readyz" in up.output


def test_up_uses_external_nats_url(run_up: StartUp, stubs: Path, tmp_path: Path) -> None:
    with NatsServer(store_dir=tmp_path / "external-nats") as nats_server:
        up = run_up({"PYTHONPATH": str(stubs), "EXTERNAL_NATS_URL": nats_server.url})
        assert up.wait_for("all services ready", 120), up.output
        assert "nats (external)" in up.output
        body = urllib.request.urlopen(f"http://127.0.0.1:{up.base_port + 2}/readyz").read()
        assert nats_server.url in body.decode()
        assert len(_descendants(up.proc.pid)) == 5  # services and console, no nats-server
        up.proc.send_signal(signal.SIGINT)
        assert up.proc.wait(60) == 0, up.output
        assert nats_server.running
