"""Engines for the two backends: SQLite (WAL, embedded default) and PostgreSQL (asyncpg)."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import MetaData, Table, event, func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine


def normalize_url(url: str) -> str:
    """Accept plain `postgresql://` and `sqlite:///` URLs and pick the async drivers."""
    u = make_url(url)
    if u.drivername in ("postgresql", "postgres", "postgresql+psycopg", "postgresql+psycopg2"):
        u = u.set(drivername="postgresql+asyncpg")
    elif u.drivername == "sqlite":
        u = u.set(drivername="sqlite+aiosqlite")
    return u.render_as_string(hide_password=False)


def is_sqlite(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "sqlite"


# Every SQLite connection of a service: WAL (readers never block the writer), a WAL sync on
# every commit (an acknowledged event survives a power cut), and patience with a busy writer.
SQLITE_PRAGMAS = ("journal_mode=WAL", "synchronous=FULL", "busy_timeout=30000")


def apply_sqlite_pragmas(dbapi_conn: Any) -> None:
    """Driver autocommit (we open write transactions with BEGIN IMMEDIATE) and the pragmas."""
    dbapi_conn.isolation_level = None
    for pragma in SQLITE_PRAGMAS:
        dbapi_conn.execute(f"PRAGMA {pragma}")


POOL_SIZE = 20  # PostgreSQL connections per engine (DATABASE_POOL_SIZE in a service)


def create_engine(url: str, **kw: Any) -> AsyncEngine:
    """Create an async engine. SQLite gets WAL, a busy timeout and manual transactions.

    SQLite connections run in driver autocommit mode so that the event store can open its
    write transactions with `BEGIN IMMEDIATE` (take the write lock before reading versions)
    while reads stay lock-free.
    """
    url = normalize_url(url)
    if url.startswith("sqlite"):
        kw.pop("pool_size", None)  # SQLite's pool is SQLAlchemy's default for the file
        engine = create_async_engine(url, **kw)

        @event.listens_for(engine.sync_engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            apply_sqlite_pragmas(dbapi_conn)

        return engine
    kw.setdefault("pool_size", POOL_SIZE)
    kw.setdefault("max_overflow", 0)  # an overflow connection is opened and closed per use
    return create_async_engine(url, **kw)


@asynccontextmanager
async def write_transaction(
    engine: AsyncEngine, *, sqlite_pragmas: Sequence[str] = ()
) -> AsyncIterator[AsyncConnection]:
    """One write transaction on either backend; commits on success, rolls back on error.

    On SQLite it queues on the process's write lock for the file, then starts with
    `BEGIN IMMEDIATE` (take the write lock before reading versions). On PostgreSQL it first
    takes one of the engine's write slots (see `write_slots`). `sqlite_pragmas`
    ("secure_delete=ON", say) hold for this transaction only: the pooled connection gets its
    previous values back afterwards.
    """
    sqlite = is_sqlite(engine)
    lock = sqlite_write_lock(str(engine.url)) if sqlite else write_slots(engine)
    async with lock, engine.connect() as conn:
        restore = [await _set_pragma(conn, p) for p in sqlite_pragmas] if sqlite else []
        try:
            if sqlite:
                await conn.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                await conn.begin()
            try:
                yield conn
            except BaseException:
                await conn.rollback()
                raise
            await conn.commit()
        finally:
            for pragma in restore:
                await conn.exec_driver_sql(f"PRAGMA {pragma}")
            if restore:
                await conn.commit()


async def _set_pragma(conn: AsyncConnection, pragma: str) -> str:
    """Set `name=value`; return the `name=previous` that undoes it."""
    name = pragma.split("=", 1)[0].strip()
    previous = (await conn.exec_driver_sql(f"PRAGMA {name}")).scalar_one()
    await conn.exec_driver_sql(f"PRAGMA {pragma}")
    return f"{name}={previous}"


_write_locks: dict[tuple[int, str], asyncio.Lock] = {}


def write_slots(engine: AsyncEngine) -> asyncio.Semaphore:
    """At most half the engine's pool in write transactions at once (PostgreSQL).

    A consumer's handler reads state through the store (a second pooled connection) while
    its transaction holds the first, and FastStream runs a pulled batch of messages at once:
    64 handlers each holding one connection and waiting for another would take the whole
    pool and wait for each other until the pool's timeout. With half the pool for write
    transactions, each of them can always get the one more connection it reads with.
    """
    sync = engine.sync_engine
    per_loop: dict[int, asyncio.Semaphore] = sync.__dict__.setdefault("_union_write_slots", {})
    loop = id(asyncio.get_running_loop())
    if loop not in per_loop:
        pool = sync.pool
        size = pool.size() + max(0, int(getattr(pool, "_max_overflow", 0)))
        per_loop[loop] = asyncio.Semaphore(max(1, size // 2))
    return per_loop[loop]


def sqlite_write_lock(database: str) -> asyncio.Lock:
    """One lock per SQLite file and process, taken by every writer of the process (the event
    store's writer thread included): they queue here instead of in SQLite's busy handler,
    which sleeps up to 100 ms between tries. Never append with `store.append` inside
    `write_transaction`: use `store.append_in` on its connection."""
    key = (id(asyncio.get_running_loop()), _sqlite_file(database))
    lock = _write_locks.get(key)
    if lock is None:
        lock = _write_locks[key] = asyncio.Lock()
    return lock


@functools.lru_cache(maxsize=64)
def _sqlite_file(database: str) -> str:
    """The file an SQLite URL names (parsed once: this is asked on every append)."""
    return make_url(database).database or database


async def upsert(
    conn: AsyncConnection, table: Table, values: dict[str, Any], keys: Sequence[str]
) -> None:
    """INSERT ... ON CONFLICT (keys) DO UPDATE, on either backend."""
    await conn.execute(upsert_statement(conn.dialect.name, table, values, keys))


def insert_for(dialect: str) -> Callable[[Table], Any]:
    """The dialect's `insert` (the one with ON CONFLICT). PostgreSQL's is imported only when
    asked for: a service on SQLite never loads the PostgreSQL dialect (about 7 MiB of RSS)."""
    if dialect == "sqlite":
        return sqlite_insert
    from sqlalchemy.dialects.postgresql import insert

    return insert


def upsert_statement(
    dialect: str, table: Table, values: dict[str, Any], keys: Sequence[str]
) -> Any:
    """The statement `upsert` runs, for a synchronous connection too."""
    stmt = insert_for(dialect)(table).values(**values)
    updates = {k: stmt.excluded[k] for k in values if k not in keys}
    return stmt.on_conflict_do_update(index_elements=list(keys), set_=updates)


# Replicas of a service start together on one database; two concurrent `CREATE TABLE`s of
# one table fail ("already exists", or on PostgreSQL a unique violation in its catalogue),
# so schema creation is a write transaction that takes this advisory lock first on
# PostgreSQL (SQLite's `BEGIN IMMEDIATE` already admits one writer at a time).
SCHEMA_LOCK_KEY = 7_201_544_012


async def lock_schema(conn: AsyncConnection) -> None:
    """Inside a write transaction: wait until no other replica changes the schema."""
    if conn.dialect.name == "postgresql":
        await conn.execute(select(func.pg_advisory_xact_lock(SCHEMA_LOCK_KEY)))


async def create_tables(
    engine: AsyncEngine, metadata: MetaData, tables: Sequence[Table] | None = None
) -> None:
    """Create what is missing of `metadata`, one creator at a time."""
    async with write_transaction(engine) as conn:
        await lock_schema(conn)
        await conn.run_sync(metadata.create_all, tables=tables)
