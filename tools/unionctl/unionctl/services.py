"""What `unionctl up` runs: the four services and the staff console, their ports and their
environment. The console listens on the port before the services' (8100 by default)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from union_events import heap

SERVICES: tuple[str, ...] = ("members", "claims", "relief", "outreach")
DEFAULT_BASE_PORT = 8101
DEFAULT_NATS_PORT = 4322
CONSOLE = "console"
WORKER_PORT_OFFSET = 50  # `--split`: each service's worker listens 50 ports above its API


@dataclass(frozen=True)
class ServiceSpec:
    """One service child process: `python -m uvicorn <module>:app` on host:port."""

    name: str
    host: str
    port: int
    env: Mapping[str, str]
    module: str = ""  # the service's package (default: the name); `claims` for `claims-worker`

    @property
    def app(self) -> str:
        return f"{self.module or self.name}.main:app"

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "uvicorn",
            self.app,
            "--host",
            self.host,
            "--port",
            str(self.port),
        ]


def database_url(name: str, data_dir: Path, environ: Mapping[str, str]) -> str:
    """`<NAME>_DATABASE_URL` when set, else a SQLite file in the data dir."""
    explicit = environ.get(f"{name.upper()}_DATABASE_URL", "").strip()
    if explicit:
        return explicit
    return f"sqlite+aiosqlite:///{data_dir.absolute() / f'{name}.db'}"


def service_specs(
    *,
    data_dir: Path,
    nats_url: str,
    host: str = "127.0.0.1",
    base_port: int = DEFAULT_BASE_PORT,
    environ: Mapping[str, str] | None = None,
    nats_users: Mapping[str, tuple[str, str]] | None = None,
    split: bool = False,
) -> list[ServiceSpec]:
    """The four services on consecutive ports from `base_port`, in SERVICES order; with
    `nats_users` (service -> (user, password)) each connects to NATS as its own user. With
    `split`, each service runs as production runs it: an API process (SERVICE_ROLE=api) and a
    worker process (`<name>-worker`, SERVICE_ROLE=worker, WORKER_PORT_OFFSET ports above)."""
    base_env = dict(os.environ if environ is None else environ)
    data_dir = data_dir.absolute()
    specs = []
    for offset, name in enumerate(SERVICES):
        env = {
            **heap.process_env(name),  # PYTHONMALLOC for members (union_events.heap)
            **base_env,
            "NATS_URL": nats_url,
            "UNION_DATA_DIR": str(data_dir),
            "SERVICE_NAME": name,
            "DATABASE_URL": database_url(name, data_dir, base_env),
            "PYTHONUNBUFFERED": "1",
        }
        if nats_users is not None:
            env["NATS_USER"], env["NATS_PASSWORD"] = nats_users[name]
        port = base_port + offset
        if not split:
            specs.append(ServiceSpec(name=name, host=host, port=port, env=env))
            continue
        specs.append(ServiceSpec(name, host, port, env | {"SERVICE_ROLE": "api"}))
        worker_env = env | {"SERVICE_ROLE": "worker"}
        worker_port = port + WORKER_PORT_OFFSET
        specs.append(ServiceSpec(f"{name}-worker", host, worker_port, worker_env, module=name))
    return specs


def console_spec(
    *,
    data_dir: Path,
    services: list[ServiceSpec],
    host: str = "127.0.0.1",
    port: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> ServiceSpec:
    """The staff console (`console.main:app`), calling the services at their URLs; by
    default on the port just below the first service's."""
    base_env = dict(os.environ if environ is None else environ)
    env = {
        **base_env,
        "UNION_DATA_DIR": str(data_dir.absolute()),
        "SERVICE_NAME": CONSOLE,
        "PYTHONUNBUFFERED": "1",
        **{f"CONSOLE_{spec.name.upper()}_URL": spec.url for spec in services if not spec.module},
    }
    chosen = port if port is not None else services[0].port - 1
    return ServiceSpec(name=CONSOLE, host=host, port=chosen, env=env)
