"""A service as a real process (uvicorn), for tests that SIGKILL it or run replicas of it."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from union_events.embedded._proc import die_with_parent, free_port, tail


@dataclass
class ServiceProcess:
    """`python -m uvicorn <service>.main:app` on a free port, with the given environment."""

    service: str
    env: dict[str, str]
    log_path: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServiceProcess:
        command = [
            sys.executable, "-m", "uvicorn", f"{self.service}.main:app",
            "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning",
        ]  # fmt: skip
        with open(self.log_path, "ab") as log:
            log.write(f"--- start at {time.time():.3f}\n".encode())
            log.flush()
            self.proc = subprocess.Popen(
                command,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=die_with_parent(),
            )
        return self

    def kill(self) -> None:
        """SIGKILL, no warning."""
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait(10)

    def stop(self, timeout: float = 15.0) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        return f"== {self.service}:{self.port}\n{tail(self.log_path, lines)}"


def service_env(service: str, data_dir: Path, nats_url: str, database_url: str) -> dict[str, str]:
    """The environment a service process gets: ours, minus database and NATS credentials."""
    inherited = {
        k: v
        for k, v in os.environ.items()
        if not k.endswith("DATABASE_URL") and k not in ("NATS_USER", "NATS_PASSWORD")
    }
    return inherited | {
        "NATS_URL": nats_url,
        "UNION_DATA_DIR": str(data_dir),
        "SERVICE_NAME": service,
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        "OTEL_TRACES_EXPORTER": "none",
    }


async def readiness(client: httpx.AsyncClient) -> tuple[int, dict[str, Any]] | None:
    """The /readyz status and body, None while the process does not answer."""
    with contextlib.suppress(httpx.TransportError, ValueError):
        response = await client.get("/readyz", timeout=3.0)
        return response.status_code, response.json()
    return None
