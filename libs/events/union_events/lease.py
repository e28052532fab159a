"""The relay's lease: with several replicas of a service on one database, one relay publishes.

On PostgreSQL the lease is a session-level advisory lock (`pg_try_advisory_lock`) held on a
connection of its own, keyed by the service's name. The lock lives as long as that session:
when the holder dies its connection closes, PostgreSQL frees the lock, and a standby relay,
trying every `RELAY_LEASE_POLL_S` seconds, takes it. TCP keepalives on the lease connection
free it too when the holder's machine vanishes without closing the connection.

On SQLite (the embedded default, one process per database file) there is nothing to share:
the lease is always held.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from .db import normalize_url

log = logging.getLogger(__name__)

# A dead peer's session ends after about idle + interval × count seconds (server side).
KEEPALIVES = {
    "tcp_keepalives_idle": "5",
    "tcp_keepalives_interval": "2",
    "tcp_keepalives_count": "3",
}


class Lease(Protocol):
    async def acquire(self) -> bool:
        """Take the lease if it is free (never waits for it); True when held."""
        ...

    async def still_held(self) -> bool:
        """True while the lease taken is still ours."""
        ...

    async def release(self) -> None: ...


class LocalLease:
    """One process per database (SQLite): the lease is always held."""

    async def acquire(self) -> bool:
        return True

    async def still_held(self) -> bool:
        return True

    async def release(self) -> None:
        return None


def lease_key(service: str) -> int:
    """A signed 64-bit advisory lock key from the service's name (distinct from the append
    lock's key, `writing.APPEND_LOCK_KEY`, whatever the name)."""
    digest = hashlib.sha256(f"union-relay/{service}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class AdvisoryLease:
    """A session-level PostgreSQL advisory lock on a connection of its own."""

    def __init__(self, database_url: str, service: str, timeout_s: float = 5.0) -> None:
        self.key = lease_key(service)
        self.timeout_s = timeout_s
        self._engine: AsyncEngine = create_async_engine(
            normalize_url(database_url),
            poolclass=NullPool,
            isolation_level="AUTOCOMMIT",  # never an open transaction on the lease session
            connect_args={"server_settings": KEEPALIVES, "timeout": timeout_s},
        )
        self._conn: AsyncConnection | None = None
        self._held = False

    async def acquire(self) -> bool:
        if self._held:
            return await self.still_held()
        try:
            if self._conn is None:
                self._conn = await asyncio.wait_for(self._engine.connect(), self.timeout_s)
            query = text("SELECT pg_try_advisory_lock(:key)")
            taken = await asyncio.wait_for(
                self._conn.scalar(query, {"key": self.key}), self.timeout_s
            )
        except BaseException:
            await self._drop()
            raise
        self._held = bool(taken)
        return self._held

    async def still_held(self) -> bool:
        """The session that took the lock still answers (a session-level lock lasts as long
        as its session)."""
        if not self._held or self._conn is None:
            return False
        try:
            await asyncio.wait_for(self._conn.execute(text("SELECT 1")), self.timeout_s)
        except Exception as exc:
            log.warning("relay lease: the lease session failed (%s): lease lost", exc)
            await self._drop()
            return False
        return True

    async def release(self) -> None:
        await self._drop()  # closing the session frees its locks
        await self._engine.dispose()

    async def _drop(self) -> None:
        self._held = False
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                await asyncio.wait_for(conn.close(), self.timeout_s)
            except Exception:  # already broken: PostgreSQL ends the session on its side
                with contextlib.suppress(Exception):
                    await conn.invalidate()


def lease_for(database_url: str, service: str) -> Lease:
    """The advisory lock on PostgreSQL; on SQLite, one process per file: always held."""
    if normalize_url(database_url).startswith("postgresql"):
        return AdvisoryLease(database_url, service)
    return LocalLease()
