"""The write path of the event store, written once as synchronous SQLAlchemy Core.

PostgreSQL runs it through `AsyncConnection.run_sync` (asyncpg underneath). SQLite runs it in
one dedicated writer thread on the stdlib driver, so a whole group commit costs one hop to
that thread instead of one per statement.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
import queue
import sqlite3
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, NamedTuple, TypeVar

import orjson
from sqlalchemy import Connection, event, func, null, select, union_all
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.util import await_only

from .appending import ROW_COLUMNS, AppendRequest, AppendResult, GroupPlan, plan_group
from .db import apply_sqlite_pragmas, insert_for, sqlite_write_lock, upsert_statement
from .errors import ConcurrencyError
from .events import RecordedEvent
from .reading import among, recorded
from .schema import checkpoints, events, log_identity, log_losses

# Any constant works: advisory locks are per database, and each service has its own.
APPEND_LOCK_KEY = 7_201_544_011
T = TypeVar("T")
Outcomes = tuple[list[AppendResult | BaseException], bool]


def commit_in(
    conn: Connection,
    requests: list[AppendRequest],
    atomic: bool,
    check_ids: bool,
    units: list[int] | None = None,
) -> Outcomes:
    """Plan and insert a group inside the caller's transaction; (outcomes, appended rows?).

    Event ids are looked up only when needed: a retried command carries ids the log already
    holds, and shows up as a version conflict (or, with no expected version, a unique-key
    violation after which the store retries with `check_ids`).
    """
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(APPEND_LOCK_KEY)))
    # Under the write lock: positions are assigned here, dense and in commit order.
    head, versions = _head_and_versions(conn, [r.stream_id for r in requests])
    plan, suspects = first_plan(requests, versions, head, units, check_ids)
    if suspects and (existing := _existing_events(conn, suspects)):
        plan = plan_group(requests, existing, versions, head, units)
    rows = checked_rows(plan, atomic)
    if rows:
        _insert_rows(conn, rows)
    return plan.outcomes, bool(rows)


def first_plan(
    requests: list[AppendRequest],
    versions: dict[str, int],
    head: int,
    units: list[int] | None,
    check_ids: bool,
) -> tuple[GroupPlan, list[AppendRequest]]:
    """The group planned as if no event id were in the log yet, and the requests whose ids
    must be looked up before it holds (all with `check_ids`, else those in conflict)."""
    plan = plan_group(requests, {}, versions, head, units)
    suspects = [
        r
        for r, o in zip(requests, plan.outcomes, strict=True)
        if check_ids or isinstance(o, ConcurrencyError)
    ]
    return plan, suspects


def checked_rows(plan: GroupPlan, atomic: bool) -> list[tuple[Any, ...]]:
    """The plan's rows; an all-or-nothing group raises its first failure instead."""
    if atomic:
        for outcome in plan.outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
    return plan.rows


def _versions_query(postgresql: bool) -> Any:
    """Each stream's version and the log's head position (the UNION's extra row): the
    highest position logged, or a stream position an operator accepted the loss of, if higher
    (new events are then numbered above what the stream already holds)."""
    logged = select(func.max(events.c.position).label("p"))
    accepted = select(func.max(log_losses.c.stream_position).label("p")).where(
        log_losses.c.accepted_at.is_not(None)
    )
    heads = union_all(logged, accepted).subquery()
    head = select(func.max(heads.c.p)).scalar_subquery()
    return (
        select(events.c.stream_id, func.max(events.c.version), head)
        .where(among(events.c.stream_id, "streams", postgresql))
        .group_by(events.c.stream_id)
        .union_all(select(null(), null(), head))
    )


def _existing_query(postgresql: bool) -> Any:
    cols = (events.c.event_id, events.c.stream_id, events.c.version, events.c.position)
    return select(*cols).where(among(events.c.event_id, "ids", postgresql))


# Built once: the statement cache then serves every call without re-deriving its key.
_QUERIES = {pg: (_versions_query(pg), _existing_query(pg)) for pg in (False, True)}


def _head_and_versions(conn: Connection, stream_ids: list[str]) -> tuple[int, dict[str, int]]:
    """The log's head position and each stream's version, in one round trip."""
    query = _QUERIES[conn.dialect.name == "postgresql"][0]
    rows = conn.execute(query, {"streams": sorted(set(stream_ids))}).all()
    head_position = next((r[2] for r in rows if r[0] is None), 0)
    return int(head_position or 0), {r[0]: r[1] for r in rows if r[0] is not None}


def stream_versions(conn: Connection, stream_ids: list[str]) -> dict[str, int]:
    return _head_and_versions(conn, stream_ids)[1]


def _existing_events(
    conn: Connection, requests: list[AppendRequest]
) -> dict[str, tuple[str, int, int]]:
    query = _QUERIES[conn.dialect.name == "postgresql"][1]
    rows = conn.execute(query, {"ids": [e.id for r in requests for e in r.events]})
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


_SQLITE_INSERT = (
    f"INSERT INTO events ({', '.join(ROW_COLUMNS)}) VALUES ({', '.join('?' * len(ROW_COLUMNS))})"
)


def _insert_rows(conn: Connection, rows: list[tuple[Any, ...]]) -> None:
    """Insert on the driver itself, in the open transaction: the hot path of every append.

    SQLAlchemy's per-row parameter processing costs more than SQLite's insert; on
    PostgreSQL, COPY is the fastest way in.
    """
    driver: Any = conn.connection.driver_connection
    if conn.dialect.name == "sqlite":
        done = driver.executemany(_SQLITE_INSERT, [(*r[:7], _sqlite_time(r[7])) for r in rows])
        if inspect.isawaitable(done):  # aiosqlite, on a consumer's connection (append_in)
            await_only(done)
    else:  # COPY beat a pipelined executemany even for 10 rows when measured
        await_only(driver.copy_records_to_table("events", records=rows, columns=ROW_COLUMNS))


def save_checkpoint(conn: Connection, name: str, position: int) -> None:
    values = {"name": name, "position": position}
    conn.execute(upsert_statement(conn.dialect.name, checkpoints, values, ["name"]))


def advance_checkpoint(conn: Connection, name: str, position: int) -> None:
    """Move a checkpoint forward only: a write of an older position changes nothing (a
    relay that lost its lease may still finish a batch after its successor moved on)."""
    stmt = insert_for(conn.dialect.name)(checkpoints).values(name=name, position=position)
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=["name"],
            set_={"position": stmt.excluded.position},
            where=checkpoints.c.position < stmt.excluded.position,
        )
    )


def ensure_log_id(conn: Connection, proposed: str) -> str:
    """The log's id, `proposed` if it has none yet (replicas may race: the first one wins)."""
    insert = insert_for(conn.dialect.name)
    conn.execute(insert(log_identity).values(name="log", log_id=proposed).on_conflict_do_nothing())
    return str(conn.execute(select(log_identity.c.log_id)).scalar_one())


def _sqlite_time(value: datetime) -> str:
    """The text form SQLAlchemy's SQLite DateTime type reads back; always UTC."""
    if value.tzinfo is UTC:  # what `utcnow` makes: drop the "+00:00"
        return value.isoformat(" ")[:-6]
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")


# The raw SQLite statements of an append (the writer thread runs them on the stdlib driver:
# SQLAlchemy's per-call statement handling cost more than SQLite's own work). The same
# queries as `_versions_query` and `_existing_query`.
_SQLITE_HEAD = (
    "SELECT MAX(p) FROM (SELECT MAX(position) AS p FROM events UNION ALL"
    " SELECT MAX(stream_position) FROM log_losses WHERE accepted_at IS NOT NULL)"
)


@functools.lru_cache(maxsize=128)
def _sqlite_versions(count: int) -> str:
    """Each of `count` streams' version, and the head (the row whose stream is NULL)."""
    marks = ", ".join("?" * count)
    return (
        f"SELECT stream_id, MAX(version), NULL FROM events WHERE stream_id IN ({marks})"
        f" GROUP BY stream_id UNION ALL SELECT NULL, NULL, ({_SQLITE_HEAD})"
    )


@functools.lru_cache(maxsize=128)
def _sqlite_existing(count: int) -> str:
    marks = ", ".join("?" * count)
    return f"SELECT event_id, stream_id, version, position FROM events WHERE event_id IN ({marks})"


def sqlite_commit(
    driver: sqlite3.Connection,
    requests: list[AppendRequest],
    atomic: bool,
    check_ids: bool,
    units: list[int] | None = None,
) -> Outcomes:
    """`commit_in` on the stdlib driver, in a transaction of its own (`BEGIN IMMEDIATE`:
    SQLite's write lock is taken before the versions are read)."""
    driver.execute("BEGIN IMMEDIATE")
    try:
        streams = sorted({r.stream_id for r in requests})
        versions: dict[str, int] = {}
        head = 0
        for stream_id, version, head_position in driver.execute(
            _sqlite_versions(len(streams)), streams
        ):
            if stream_id is None:
                head = int(head_position or 0)
            else:
                versions[stream_id] = version
        plan, suspects = first_plan(requests, versions, head, units, check_ids)
        if suspects:
            ids = [e.id for r in suspects for e in r.events]
            existing = {
                r[0]: (r[1], r[2], r[3]) for r in driver.execute(_sqlite_existing(len(ids)), ids)
            }
            if existing:
                plan = plan_group(requests, existing, versions, head, units)
        rows = checked_rows(plan, atomic)
        if rows:
            driver.executemany(_SQLITE_INSERT, [(*r[:7], _sqlite_time(r[7])) for r in rows])
    except BaseException:
        driver.execute("ROLLBACK")
        raise
    driver.execute("COMMIT")
    return plan.outcomes, bool(rows)


# The same on PostgreSQL, on asyncpg itself (its statement cache prepares each text once).
# BEGIN and the lock go in one simple query: one round trip. Every statement after it runs
# under the lock: READ COMMITTED takes a statement's snapshot at its start, so each one sees
# what the previous holder of the lock committed.
_PG_BEGIN_LOCKED = f"BEGIN; SELECT pg_advisory_xact_lock({APPEND_LOCK_KEY})"
_PG_HEAD = (
    "SELECT coalesce(max(p), 0) FROM (SELECT max(position) AS p FROM events UNION ALL"
    " SELECT max(stream_position) FROM log_losses WHERE accepted_at IS NOT NULL) AS heads"
)
_PG_VERSIONS = (
    "SELECT stream_id, max(version), NULL::bigint FROM events WHERE stream_id = ANY($1::text[])"
    f" GROUP BY stream_id UNION ALL SELECT NULL, NULL, ({_PG_HEAD})"
)
_PG_EXISTING = (
    "SELECT event_id, stream_id, version, position FROM events WHERE event_id = ANY($1::text[])"
)
# Rows travel as one JSON array of arrays (`_pg_json`): one parameter to encode, where arrays
# of each column cost asyncpg a type check per element.
_PG_COLUMNS = ", ".join(ROW_COLUMNS)
_PG_INSERT = (
    f"INSERT INTO events ({_PG_COLUMNS})"
    " SELECT (r->>0)::bigint, r->>1, r->>2, (r->>3)::integer, r->>4, r->>5, r->>6,"
    " (r->>7)::timestamptz FROM json_array_elements($1::json) AS r"
)
# The usual append in one statement: if each stream is at the version its request expects
# (`$2`: [[stream, version], ...]), the rows (`$1`, numbered from 1) go in above the head.
# Returns the head and whether the versions held; if they did not, nothing went in and the
# group is planned again from the versions as read (`pg_commit`).
_PG_APPEND_AS_EXPECTED = (
    "WITH head AS (SELECT coalesce(max(p), 0) AS head FROM ("
    "  SELECT max(position) AS p FROM events UNION ALL"
    "  SELECT max(stream_position) FROM log_losses WHERE accepted_at IS NOT NULL) AS heads),"
    " held AS (SELECT bool_and(coalesce("
    "  (SELECT max(e.version) FROM events AS e WHERE e.stream_id = x->>0), 0)"
    "  = (x->>1)::integer) AS ok FROM json_array_elements($2::json) AS x),"
    f" appended AS (INSERT INTO events ({_PG_COLUMNS})"
    "  SELECT head.head + (r->>0)::bigint, r->>1, r->>2, (r->>3)::integer, r->>4, r->>5,"
    "  r->>6, (r->>7)::timestamptz"
    "  FROM json_array_elements($1::json) AS r, head, held WHERE held.ok)"
    " SELECT head.head, held.ok FROM head, held"
)
_PG_COPY_FROM_ROWS = 500


def _pg_json(rows: list[tuple[Any, ...]]) -> str:
    """The rows as JSON; a time without a zone is local time, as asyncpg takes it."""
    return orjson.dumps(
        [r if r[7].tzinfo is not None else (*r[:7], r[7].astimezone(UTC)) for r in rows]
    ).decode()


async def pg_commit(
    driver: Any,
    requests: list[AppendRequest],
    atomic: bool,
    check_ids: bool,
    units: list[int] | None = None,
) -> Outcomes:
    """`commit_in` on an asyncpg connection, in a transaction of its own."""
    await driver.execute(_PG_BEGIN_LOCKED)
    try:
        done = await _pg_append_as_expected(driver, requests, check_ids, units)
        if done is None:
            done = await _pg_append_planned(driver, requests, atomic, check_ids, units)
    except BaseException:
        with contextlib.suppress(Exception):  # a broken connection: the caller drops it
            await driver.execute("ROLLBACK")
        raise
    await driver.execute("COMMIT")
    return done


async def _pg_append_as_expected(
    driver: Any, requests: list[AppendRequest], check_ids: bool, units: list[int] | None
) -> Outcomes | None:
    """The group in one statement if each request names its stream's version and the
    group holds nothing to decide (one request per stream, no id twice); None if it cannot
    be, or the versions did not hold (nothing inserted then)."""
    streams = {r.stream_id: r.expected_version for r in requests}
    if check_ids or len(streams) != len(requests) or None in streams.values():
        return None
    plan = plan_group(requests, {}, streams, 0, units)  # type: ignore[arg-type]
    if not plan.rows or len(plan.rows) >= _PG_COPY_FROM_ROWS:
        return None
    if any(isinstance(o, BaseException) for o in plan.outcomes):
        return None
    expected = orjson.dumps(list(streams.items())).decode()
    head, held = await driver.fetchrow(_PG_APPEND_AS_EXPECTED, _pg_json(plan.rows), expected)
    if not held:
        return None
    outcomes: list[AppendResult | BaseException] = [
        AppendResult(o.stream_id, o.version, o.position + head)
        for o in plan.outcomes
        if isinstance(o, AppendResult)
    ]
    return outcomes, True


async def _pg_append_planned(
    driver: Any,
    requests: list[AppendRequest],
    atomic: bool,
    check_ids: bool,
    units: list[int] | None,
) -> Outcomes:
    """The group planned from the versions and the head as read (`commit_in`'s way)."""
    streams = sorted({r.stream_id for r in requests})
    versions: dict[str, int] = {}
    head = 0
    for stream_id, version, head_position in await driver.fetch(_PG_VERSIONS, streams):
        if stream_id is None:
            head = int(head_position)
        else:
            versions[stream_id] = version
    plan, suspects = first_plan(requests, versions, head, units, check_ids)
    if suspects:
        ids = [e.id for r in suspects for e in r.events]
        existing = {r[0]: (r[1], r[2], r[3]) for r in await driver.fetch(_PG_EXISTING, ids)}
        if existing:
            plan = plan_group(requests, existing, versions, head, units)
    rows = checked_rows(plan, atomic)
    if len(rows) >= _PG_COPY_FROM_ROWS:
        await driver.copy_records_to_table("events", records=rows, columns=ROW_COLUMNS)
    elif rows:
        await driver.execute(_PG_INSERT, _pg_json(rows))
    return plan.outcomes, bool(rows)


class PgWriter:
    """Where the store's group commits run on PostgreSQL: one connection of the engine's,
    kept while it works (a pool checkout and return per append cost more than a round trip),
    used by one commit at a time."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._conn: AsyncConnection | None = None
        self._lock = asyncio.Lock()

    async def commit(
        self,
        requests: list[AppendRequest],
        atomic: bool,
        check_ids: bool,
        units: list[int] | None = None,
    ) -> Outcomes:
        async with self._lock:
            if self._conn is None:
                self._conn = await self.engine.connect()
            conn = self._conn
            driver: Any = (await conn.get_raw_connection()).driver_connection
            try:
                return await pg_commit(driver, requests, atomic, check_ids, units)
            except BaseException:
                if driver.is_closed() or driver.is_in_transaction():
                    self._conn = None  # never commit again on a connection in doubt
                    with contextlib.suppress(Exception):
                        await conn.invalidate()
                        await conn.close()
                raise

    async def close(self) -> None:
        async with self._lock:
            if self._conn is not None:
                await self._conn.close()
                self._conn = None


class _Worker:
    """One thread running jobs one after another. The event loop hands a job over on a queue
    and the thread hands the outcome back with `call_soon_threadsafe`: one wake-up each way,
    nothing more (an executor's futures cost more than an append's SQL)."""

    def __init__(self, name: str) -> None:
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self._thread.start()

    def submit(self, job: Callable[..., T], *args: Any) -> asyncio.Future[T]:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._jobs.put((job, args, loop, future))
        return future

    def _serve(self) -> None:
        while (item := self._jobs.get()) is not None:
            job, args, loop, future = item
            try:
                result, error = job(*args), None
            except BaseException as exc:  # handed to the caller, whatever it is
                result, error = None, exc
            if loop is None:  # `stop`'s own job
                continue
            try:
                loop.call_soon_threadsafe(_settle, future, result, error)
            except RuntimeError:  # the loop is closed: nobody is waiting any more
                pass

    def stop(self, last: Callable[[], None]) -> None:
        """Run `last` after every job handed over so far, then end the thread."""
        if self._thread.is_alive():
            self._jobs.put((last, (), None, None))
            self._jobs.put(None)
            self._thread.join()


_Job = tuple[Callable[..., Any], tuple[Any, ...], Any, Any]


def _settle(future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if future.done():  # the caller gave up (cancelled)
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


class _StoredRow(NamedTuple):
    """A row of `events` as `reading.recorded` reads it, from a driver's own tuple."""

    position: int
    event_id: str
    stream_id: str
    version: int
    type: str
    data: str
    context: str
    occurred_at: datetime


_SQLITE_STREAM = (
    f"SELECT {', '.join(ROW_COLUMNS)} FROM events WHERE stream_id = ? AND version > ?"
    " ORDER BY version"
)


class SqliteWriter:
    """Two threads, each with its stdlib sqlite3 connection: the writer, where every group
    commit and every other write of the store runs, and the reader (WAL: reads are never
    blocked by a write)."""

    def __init__(self, async_url: str) -> None:
        url = make_url(async_url).set(drivername="sqlite")
        self.database = async_url
        self.engine = create_sync_engine(url)
        self._writer = _Worker("sqlite-writer")
        self._conn: Connection | None = None  # used by the writer thread only
        self._reader = _Worker("sqlite-reader")
        self._reader_conn: Connection | None = None  # used by the reader thread only
        event.listen(self.engine, "connect", lambda dbapi_conn, _: apply_sqlite_pragmas(dbapi_conn))

    async def commit(
        self,
        requests: list[AppendRequest],
        atomic: bool,
        check_ids: bool,
        units: list[int] | None = None,
    ) -> Outcomes:
        async with sqlite_write_lock(self.database):
            return await self._writer.submit(self._commit, requests, atomic, check_ids, units)

    async def run(self, write: Callable[..., T], *args: Any) -> T:
        """Run `write(connection, *args)` in one transaction on the writer thread: one hop."""
        async with sqlite_write_lock(self.database):
            return await self._writer.submit(self._run, write, args)

    def _connection(self) -> Connection:
        if self._conn is None or self._conn.invalidated:
            self._conn = self.engine.connect()
        return self._conn

    def _commit(
        self,
        requests: list[AppendRequest],
        atomic: bool,
        check_ids: bool,
        units: list[int] | None,
    ) -> Outcomes:
        driver: Any = self._connection().connection.driver_connection
        return sqlite_commit(driver, requests, atomic, check_ids, units)

    def _run(self, write: Callable[..., T], args: tuple[Any, ...]) -> T:
        conn = self._connection()
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            result = write(conn, *args)
        except BaseException:
            conn.rollback()
            raise
        conn.commit()
        return result

    async def read(self, read: Callable[..., T], *args: Any) -> T:
        """Run `read(connection, *args)` on the reader thread."""
        return await self._reader.submit(self._read, read, args)

    async def read_stream(self, stream_id: str, after_version: int) -> list[RecordedEvent]:
        """One stream, read on the reader's driver itself (the store's most frequent read)."""
        return await self._reader.submit(self._read_stream, stream_id, after_version)

    def _reader_connection(self) -> Connection:
        if self._reader_conn is None or self._reader_conn.invalidated:
            self._reader_conn = self.engine.connect()
        return self._reader_conn

    def _read(self, read: Callable[..., T], args: tuple[Any, ...]) -> T:
        conn = self._reader_connection()
        try:
            return read(conn, *args)
        finally:
            conn.rollback()  # no transaction at the driver; resets SQLAlchemy's

    def _read_stream(self, stream_id: str, after_version: int) -> list[RecordedEvent]:
        driver: Any = self._reader_connection().connection.driver_connection
        rows = driver.execute(_SQLITE_STREAM, (stream_id, after_version)).fetchall()
        return [recorded(_StoredRow._make((*r[:7], datetime.fromisoformat(r[7])))) for r in rows]

    def _close_connection(self) -> None:
        if self._conn is not None:
            self._conn.close()

    def _close_reader(self) -> None:
        if self._reader_conn is not None:
            self._reader_conn.close()

    def close(self) -> None:
        self._writer.stop(self._close_connection)
        self._reader.stop(self._close_reader)
        self.engine.dispose()


_PG_STREAM = (
    f"SELECT {', '.join(ROW_COLUMNS)} FROM events WHERE stream_id = $1 AND version > $2"
    " ORDER BY version"
)


async def pg_read_stream(
    engine: AsyncEngine, stream_id: str, after_version: int
) -> list[RecordedEvent]:
    """One stream, read on a pooled connection's asyncpg itself."""
    async with engine.connect() as conn:
        driver: Any = (await conn.get_raw_connection()).driver_connection
        try:
            rows = await driver.fetch(_PG_STREAM, stream_id, after_version)
        except BaseException:
            if driver.is_closed():
                await conn.invalidate()  # not back to the pool
            raise
    return [recorded(_StoredRow(*r)) for r in rows]
