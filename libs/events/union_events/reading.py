"""The read path of the event store, written once as synchronous SQLAlchemy Core.

Like the write path: PostgreSQL runs these through `AsyncConnection.run_sync`; SQLite runs
them on a reader thread of its own with the stdlib driver, one hop per read.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import ARRAY, Connection, String, any_, bindparam, select

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


def read_log_rows(conn: Connection, after_position: int, limit: int) -> list[LogRow]:
    rows = conn.execute(_LOG, {"after": after_position, "limit": limit})
    return [LogRow(*row) for row in rows]


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
