"""Create and drop PostgreSQL databases given an admin URL (asyncpg underneath).

URLs are plain libpq form: `postgresql://user:pw@host:port/db` or, for a Unix socket,
`postgresql://postgres@/db?host=/socket/dir`. A `+driver` suffix on the scheme is accepted.
The sync functions work from anywhere, even inside a running event loop (they use a
short-lived loop on a worker thread).
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

T = TypeVar("T")

_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def plain_url(url: str) -> str:
    """`postgresql+asyncpg://...` → `postgresql://...` (libpq form asyncpg understands)."""
    parts = urlsplit(url)
    scheme = parts.scheme.split("+", 1)[0]
    if scheme not in ("postgresql", "postgres"):
        raise ValueError(f"not a PostgreSQL URL: {url!r}")
    return urlunsplit(parts._replace(scheme="postgresql"))


def database_url(admin_url: str, name: str) -> str:
    """The admin URL pointed at database `name` (same host, socket, user and options)."""
    _check_name(name)
    parts = urlsplit(plain_url(admin_url))
    return urlunsplit(parts._replace(path=f"/{name}"))


def unique_database_name(prefix: str = "t") -> str:
    """A fresh valid database name like `t_3f2a9c...`."""
    return _check_name(f"{prefix}_{uuid.uuid4().hex[:16]}")


async def _connect(url: str, **kw: Any) -> Any:
    """An asyncpg connection, the driver imported only now: a service on SQLite imports this
    package (NATS credentials) and never pays asyncpg's memory (about 8 MiB of RSS)."""
    import asyncpg

    return await asyncpg.connect(plain_url(url), **kw)


async def acreate_database(admin_url: str, name: str) -> str:
    """CREATE DATABASE `name`; returns its URL."""
    _check_name(name)
    conn = await _connect(admin_url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return database_url(admin_url, name)


async def adrop_database(admin_url: str, name: str) -> None:
    """DROP DATABASE IF EXISTS `name`, disconnecting its remaining sessions."""
    _check_name(name)
    conn = await _connect(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def acheck(url: str) -> str:
    """Connect to `url` and return the server version string (raises when unreachable)."""
    conn = await _connect(url, timeout=10)
    try:
        return str(await conn.fetchval("SHOW server_version"))
    finally:
        await conn.close()


def create_database(admin_url: str, name: str) -> str:
    """Sync `acreate_database`."""
    return _run(acreate_database(admin_url, name))


def drop_database(admin_url: str, name: str) -> None:
    """Sync `adrop_database`."""
    _run(adrop_database(admin_url, name))


def check(url: str) -> str:
    """Sync `acheck`."""
    return _run(acheck(url))


def _check_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise ValueError(f"invalid database name {name!r}: use [a-z_][a-z0-9_]*, at most 63")
    return name


def _run(coro: Coroutine[Any, Any, T]) -> T:
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pg-admin") as pool:
        return pool.submit(asyncio.run, coro).result()
