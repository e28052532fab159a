"""The two databases, each handing out a fresh database per measurement."""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import count
from pathlib import Path

from sqlalchemy.engine import make_url
from union_events.embedded import create_database, drop_database, unique_database_name
from union_events.embedded.databases import check


@dataclass(frozen=True, slots=True)
class Database:
    """One fresh database: `url` is what EventStore.open takes (plain scheme)."""

    kind: str  # "sqlite" or "postgresql"
    url: str

    def sync_url(self) -> str:
        """URL for a sync SQLAlchemy engine: stdlib sqlite3, or psycopg 3."""
        driver = "sqlite" if self.kind == "sqlite" else "postgresql+psycopg"
        return make_url(self.url).set(drivername=driver).render_as_string(hide_password=False)

    def eventsourcing_env(self, pool_size: int) -> dict[str, str]:
        """The environment eventsourcing's persistence modules read (see their Factory)."""
        if self.kind == "sqlite":
            path = make_url(self.url).database or ""
            return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": path}
        return {"PERSISTENCE_MODULE": "eventsourcing.postgres", **_postgres_env(self.url)} | {
            "POSTGRES_POOL_SIZE": str(pool_size),
            "POSTGRES_MAX_OVERFLOW": "0",
        }


def _postgres_env(url: str) -> dict[str, str]:
    """POSTGRES_* from a libpq URL. A Unix socket is a `host` that is a directory path:
    psycopg (libpq) then connects to `<dir>/.s.PGSQL.<port>`, so the port still matters."""
    u = make_url(url)
    socket_dir = u.query.get("host")
    host = socket_dir if isinstance(socket_dir, str) else u.host
    return {
        "POSTGRES_DBNAME": u.database or "postgres",
        "POSTGRES_HOST": host or "localhost",
        "POSTGRES_PORT": str(u.port or 5432),
        "POSTGRES_USER": u.username or "postgres",
        "POSTGRES_PASSWORD": u.password or "",
    }


class SqliteBackend:
    name = "SQLite"
    kind = "sqlite"

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._numbers = count(1)

    @property
    def version(self) -> str:
        return sqlite3.sqlite_version

    @contextmanager
    def fresh(self) -> Iterator[Database]:
        path = self.directory / f"bench-{next(self._numbers)}.db"
        try:
            yield Database(self.kind, f"sqlite:///{path}")
        finally:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)


class PostgresBackend:
    name = "PostgreSQL"
    kind = "postgresql"

    def __init__(self, admin_url: str, source: str) -> None:
        self.admin_url = admin_url
        self.source = source
        self.version = check(admin_url)

    @contextmanager
    def fresh(self) -> Iterator[Database]:
        name = unique_database_name("bench")
        url = create_database(self.admin_url, name)
        try:
            yield Database(self.kind, url)
        finally:
            drop_database(self.admin_url, name)


Backend = SqliteBackend | PostgresBackend


def temp_dir() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="union-bench-")
