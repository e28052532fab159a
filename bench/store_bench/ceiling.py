"""The raw ceiling: one SQLAlchemy executemany INSERT of every row, in one transaction.

Into a table shaped like the log (same columns, primary key and unique keys), rows fully
encoded beforehand. SQLite: sync SQLAlchemy on the stdlib sqlite3 driver. PostgreSQL:
SQLAlchemy on asyncpg, the fastest installed driver for this (psycopg 3's executemany is
several times slower here, so it would be no ceiling at all).
"""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import Engine, MetaData, create_engine, event, func, select
from sqlalchemy.ext.asyncio import create_async_engine
from union_events import codec
from union_events.db import SQLITE_PRAGMAS, normalize_url
from union_events.schema import events

from .backends import Database
from .timing import atimed, expect, timed
from .workload import Workload, our_commands

DRIVERS = {"sqlite": "sqlite3", "postgresql": "asyncpg"}

raw_metadata = MetaData()
raw_events = events.to_metadata(raw_metadata)
count_rows = select(func.count()).select_from(raw_events)

Rows = list[dict[str, Any]]


def raw_insert(db: Database, workload: Workload) -> float:
    rows = _rows(workload)
    if db.kind == "sqlite":
        seconds, inserted = _sqlite_insert(db, rows)
    else:
        seconds, inserted = asyncio.run(_postgres_insert(db, rows))
    expect("rows inserted", inserted, workload.events)
    return seconds


def _sqlite_insert(db: Database, rows: Rows) -> tuple[float, int]:
    engine = _sqlite_engine(db.sync_url())
    try:
        raw_metadata.create_all(engine)  # also opens the pooled connection: untimed
        seconds, _ = timed(lambda: _insert(engine, rows))
        with engine.connect() as conn:
            return seconds, int(conn.scalar(count_rows) or 0)
    finally:
        engine.dispose()


def _insert(engine: Engine, rows: Rows) -> None:
    with engine.begin() as conn:
        conn.execute(raw_events.insert(), rows)


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # The pragmas our store sets on its SQLite connections.
        for pragma in SQLITE_PRAGMAS:
            dbapi_conn.execute(f"PRAGMA {pragma}")

    return engine


async def _postgres_insert(db: Database, rows: Rows) -> tuple[float, int]:
    engine = create_async_engine(normalize_url(db.url))
    try:
        async with engine.begin() as conn:  # untimed: schema and a pooled connection
            await conn.run_sync(raw_metadata.create_all)
        seconds, _ = await atimed(_ainsert(engine, rows))
        async with engine.connect() as conn:
            return seconds, int(await conn.scalar(count_rows) or 0)
    finally:
        await engine.dispose()


async def _ainsert(engine: Any, rows: Rows) -> None:
    async with engine.begin() as conn:
        await conn.execute(raw_events.insert(), rows)


def _rows(workload: Workload) -> Rows:
    rows = []
    position = 0
    for stream_id, stream_events in our_commands(workload):
        for version, e in enumerate(stream_events, start=1):
            position += 1
            rows.append({
                "position": position,
                "event_id": e.id,
                "stream_id": stream_id,
                "version": version,
                "type": e.type,
                "data": codec.dumps(e.data),
                "context": "{}",
                "occurred_at": e.occurred_at,
            })  # fmt: skip
    return rows
