"""The console and the members service as real processes on free ports (the embedded default:
SQLite files, the platform key pair in the data dir, a real NATS), for the browser tests."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from console.accounts.service import Accounts
from console.bootstrap import open_accounts
from console.settings import ConsoleSettings
from union_events.embedded import free_port
from union_events.embedded._proc import die_with_parent
from union_events.testing.tokens import token

_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _ready(url: str) -> bool:
    try:
        with _DIRECT.open(url + "/readyz", timeout=1.0) as response:
            return int(response.status) == 200
    except (urllib.error.URLError, OSError):
        return False


@dataclass
class Process:
    name: str
    url: str
    proc: subprocess.Popen[bytes]
    log: Path

    def wait_ready(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while not _ready(self.url):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"{self.name} did not get ready:\n{self.log.read_text()}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start(name: str, app: str, env: dict[str, str], log_dir: Path) -> Process:
    port = free_port()
    log = log_dir / f"{name}.log"
    command = [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port)]
    with open(log, "wb") as sink:
        proc = subprocess.Popen(
            [*command, "--log-level", "warning"],
            env={**os.environ, "PYTHONUNBUFFERED": "1", **env},
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent(),
        )
    return Process(name, f"http://127.0.0.1:{port}", proc, log)


@dataclass
class Platform:
    """A console (and the members service it asks for org names) with one data dir."""

    data_dir: Path
    console: Process
    members: Process | None
    settings: ConsoleSettings
    made: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.console.url

    def make_account(self, username: str, role: str, org: str, name: str) -> str:
        """An account and its one-time password: a city admin by `unionctl admin create`, as
        an operator makes the first one; others straight in the console's log."""
        if role == "city_admin":
            command = [sys.executable, "-m", "unionctl.cli", "admin", "create", "--user"]
            command += [username, "--org", org, "--name", name, "--data-dir", str(self.data_dir)]
            out = subprocess.run(command, capture_output=True, text=True, timeout=60, check=True)
            return out.stdout.split("one-time password: ", 1)[1].split()[0]

        async def create() -> str:
            accounts: Accounts = await open_accounts(self.settings)
            try:
                issued = await accounts.create(
                    None, username=username, display_name=name, role=role, org=org
                )
            finally:
                await accounts.store.close()
            return issued.one_time_password

        with ThreadPoolExecutor(1) as thread:  # Playwright's sync API holds this thread's loop
            return thread.submit(asyncio.run, create()).result()

    def stop(self) -> None:
        self.console.stop()
        if self.members is not None:
            self.members.stop()


def start_platform(
    root: Path, nats_url: str | None, *, idle_minutes: float = 30.0, with_members: bool = True
) -> Platform:
    data_dir = root / "data"
    data_dir.mkdir(parents=True)
    members = None
    if with_members:
        members_env = {
            "NATS_URL": nats_url or "",
            "UNION_DATA_DIR": str(data_dir),
            "SERVICE_NAME": "members",
            "DATABASE_URL": f"sqlite+aiosqlite:///{data_dir / 'members.db'}",
            "OTEL_TRACES_EXPORTER": "none",
        }
        members = start("members", "members.main:app", members_env, root)
    console_env = {
        "UNION_DATA_DIR": str(data_dir),
        "CONSOLE_SESSION_IDLE_MINUTES": str(idle_minutes),
        "CONSOLE_MEMBERS_URL": members.url if members else "http://127.0.0.1:9",
    }
    console = start("console", "console.main:app", console_env, root)
    if members is not None:
        members.wait_ready()
        _register_orgs(members.url, data_dir)
    console.wait_ready()
    settings = ConsoleSettings(data_dir=data_dir)
    return Platform(data_dir, console, members, settings)


ORGS = (
    ("zhoushan", "舟山市总工会", "city"),
    ("zhoushan/dinghai", "定海区总工会", "district"),
    ("zhoushan/putuo", "普陀区总工会", "district"),
    ("zhoushan/dinghai/center", "定海区职工服务中心", "service_point"),
    ("zhoushan/putuo/center", "普陀区职工服务中心", "service_point"),
)


def _register_orgs(members_url: str, data_dir: Path) -> None:
    bearer = token(data_dir, "city_admin", "zhoushan")
    for path, name, level in ORGS:
        body = json.dumps({"path": path, "name": name, "level": level}).encode()
        request = urllib.request.Request(
            members_url + "/orgs",
            data=body,
            method="POST",
            headers={"Authorization": f"Bearer {bearer}", "Content-Type": "application/json"},
        )
        with _DIRECT.open(request, timeout=10) as response:
            assert response.status == 201, response.read()
