"""The read path of the event store, written once as synchronous SQLAlchemy Core.

Like the write path: PostgreSQL runs these through `AsyncConnection.run_sync`; SQLite runs
them on a reader thread of its own with the stdlib driver, one hop per read.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import ARRAY, Connection, String, any_, bindparam, select
from sqlalchemy.util import await_only

from . import codec
from .events import EventContext, RecordedEvent
from .schema import checkpoints, events


class LogRow(NamedTuple):
    """A row of the log as stored (JSON still text): what the relay needs, nothing more."""

    position: int
    event_id: str
    stream_id: str
    type: str
    data_json: str
    context_json: str
    occurred_at: datetime


def among(column: Any, name: str, postgresql: bool) -> Any:
    """`column IN :name`; on PostgreSQL one array parameter, so that one prepared statement
    serves every list length (asyncpg prepares each distinct SQL text anew)."""
    if postgresql:
        return column == any_(bindparam(name, type_=ARRAY(String)))
    return column.in_(bindparam(name, expanding=True))


# Built once, with bound parameters: the compiled statements are cached.
_STREAM = (
    select(events)
    .where(events.c.stream_id == bindparam("stream"), events.c.version > bindparam("after"))
    .order_by(events.c.version)
)
_ALL = (
    select(events)
    .where(events.c.position > bindparam("after"))
    .order_by(events.c.position)
    .limit(bindparam("limit"))
)
_LOG = (
    select(
        events.c.position,
        events.c.event_id,
        events.c.stream_id,
        events.c.type,
        events.c.data,
        events.c.context,
        events.c.occurred_at,
    )
    .where(events.c.position > bindparam("after"))
    .order_by(events.c.position)
    .limit(bindparam("limit"))
)


def read_stream_rows(conn: Connection, stream_id: str, after_version: int) -> list[RecordedEvent]:
    rows = conn.execute(_STREAM, {"stream": stream_id, "after": after_version})
    return [recorded(row) for row in rows]


_STREAMS = {
    pg: select(events)
    .where(among(events.c.stream_id, "streams", pg))
    .order_by(events.c.stream_id, events.c.version)
    for pg in (False, True)
}


def read_streams_rows(conn: Connection, stream_ids: list[str]) -> dict[str, list[RecordedEvent]]:
    """Several whole streams in one query: each id maps to its events (empty when new)."""
    found: dict[str, list[RecordedEvent]] = {s: [] for s in stream_ids}
    query = _STREAMS[conn.dialect.name == "postgresql"]
    for row in conn.execute(query, {"streams": sorted(set(stream_ids))}):
        found[row.stream_id].append(recorded(row))
    return found


def read_all_rows(conn: Connection, after_position: int, limit: int) -> list[RecordedEvent]:
    rows = conn.execute(_ALL, {"after": after_position, "limit": limit})
    return [recorded(row) for row in rows]


# The relay's read, straight at the driver (the relay reads the whole log, a batch at a time:
# SQLAlchemy's result rows and its SQLite DateTime parsing were most of the read's cost).
_LOG_SQL = (
    "SELECT position, event_id, stream_id, type, data, context, occurred_at"
    f" FROM {events.name} WHERE position > {{}} ORDER BY position LIMIT {{}}"
)
_LOG_SQLITE = _LOG_SQL.format("?", "?")
_LOG_ASYNCPG = _LOG_SQL.format("$1", "$2")


def read_log_rows(conn: Connection, after_position: int, limit: int) -> list[LogRow]:
    """The log after a position, as stored: on the stdlib sqlite3 driver and on asyncpg by
    the driver itself (the same rows as the SQLAlchemy query `_LOG`), else through `_LOG`."""
    driver: Any = conn.connection.driver_connection
    if isinstance(driver, sqlite3.Connection):  # the store's reader thread
        rows = driver.execute(_LOG_SQLITE, (after_position, limit)).fetchall()
        parse = datetime.fromisoformat  # the text SQLAlchemy's SQLite DateTime writes and reads
        return [LogRow(p, e, s, t, d, c, parse(o)) for p, e, s, t, d, c, o in rows]
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "asyncpg":
        records = await_only(driver.fetch(_LOG_ASYNCPG, after_position, limit))
        return [LogRow(*record) for record in records]
    return [LogRow(*row) for row in conn.execute(_LOG, {"after": after_position, "limit": limit})]


def checkpoint_position(conn: Connection, name: str, lock: bool = False) -> int | None:
    """A checkpoint's position (None if never set); `lock` takes its row lock on PostgreSQL
    (SQLite's write lock is held already in a write transaction)."""
    query = select(checkpoints.c.position).where(checkpoints.c.name == name)
    if lock and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    value = conn.execute(query).scalar()
    return None if value is None else int(value)


def recorded(row: Any) -> RecordedEvent:
    occurred_at = row.occurred_at
    if occurred_at.tzinfo is None:  # SQLite keeps no zone; we always write UTC
        occurred_at = occurred_at.replace(tzinfo=UTC)
    context = row.context
    return RecordedEvent(
        position=row.position,
        stream_id=row.stream_id,
        version=row.version,
        id=row.event_id,
        type=row.type,
        data=codec.loads(row.data),
        occurred_at=occurred_at,
        context=EventContext.from_dict(codec.loads(context)) if context != "{}" else EventContext(),
    )
