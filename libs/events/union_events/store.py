"""The event store: aggregate streams with optimistic concurrency, one log per service.

Concurrent `append` calls are coalesced into one transaction (group commit); each request
keeps its own expected-version check and its own outcome. Writers are serialized per
database (SQLite's write lock, a PostgreSQL advisory lock held to commit), so positions
commit in order and a relay tailing by position never skips an event.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from . import codec
from .appending import AppendRequest, AppendResult, AppendSignal
from .db import create_engine, create_tables, is_sqlite, upsert, write_transaction
from .errors import ConcurrencyError, DuplicateEventError, LogBehindStream
from .events import EventContext, NewEvent, RecordedEvent
from .reading import (
    LogRow,
    checkpoint_position,
    read_all_rows,
    read_log_rows,
    read_streams_rows,
)
from .schema import events, metadata, snapshots
from .telemetry import current_traceparent
from .writing import (
    PgWriter,
    SqliteWriter,
    advance_checkpoint,
    commit_in,
    ensure_log_id,
    pg_read_stream,
    save_checkpoint,
    stream_versions,
)


@dataclass(slots=True)
class _Pending:
    requests: list[AppendRequest]  # one `append`, or an all-or-nothing `append_batch`
    future: asyncio.Future[list[AppendResult]]


T = TypeVar("T")


class EventStore(AppendSignal):
    def __init__(self, engine: AsyncEngine, *, group_commit: bool = True) -> None:
        self.engine = engine
        self.group_commit = group_commit
        self.max_group_events = 10_000
        self._queue: list[_Pending] = []
        self._committer: asyncio.Task[None] | None = None
        self._sqlite_writer = SqliteWriter(str(engine.url)) if is_sqlite(engine) else None
        self._pg_writer = None if is_sqlite(engine) else PgWriter(engine)
        # Why appends are refused, if they are (the log is behind its stream: `log_guard`).
        self.refusal: str | None = None
        self._log_id: str | None = None

    @classmethod
    async def open(cls, url: str, pool_size: int | None = None, **kw: Any) -> EventStore:
        """The store on `url`; `pool_size`: PostgreSQL connections kept at most (db.py)."""
        engine = create_engine(url, **({"pool_size": pool_size} if pool_size else {}))
        store = cls(engine, **kw)
        await store.create_schema()
        return store

    async def create_schema(self) -> None:
        await create_tables(self.engine, metadata)

    async def close(self) -> None:
        if self._committer is not None:
            await asyncio.gather(self._committer, return_exceptions=True)
        if self._sqlite_writer is not None:
            self._sqlite_writer.close()
        if self._pg_writer is not None:
            await self._pg_writer.close()
        await self.engine.dispose()

    # -- appending -------------------------------------------------------------------

    async def append(
        self, stream_id: str, expected_version: int | None, events_: Sequence[NewEvent]
    ) -> AppendResult:
        """Append to one stream; `expected_version` 0 means a new stream, None means any."""
        request = AppendRequest(stream_id, expected_version, _traced(events_))
        (result,) = await self._enqueue([request])
        return result

    async def append_batch(self, requests: Sequence[AppendRequest]) -> list[AppendResult]:
        """Append to many streams in one transaction: all or nothing (the first error)."""
        return await self._enqueue(_traced_batch(requests))

    async def _enqueue(self, requests: list[AppendRequest]) -> list[AppendResult]:
        self._refuse_if_told()
        if not self.group_commit:
            return await self._commit(requests, atomic=True)  # type: ignore[return-value]
        future: asyncio.Future[list[AppendResult]] = asyncio.get_running_loop().create_future()
        self._queue.append(_Pending(requests, future))
        if self._committer is None or self._committer.done():
            self._committer = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        while self._queue:
            group: list[_Pending] = []
            size = 0
            while self._queue and (not group or size < self.max_group_events):
                pending = self._queue.pop(0)
                group.append(pending)
                size += sum(len(r.events) for r in pending.requests)
            outcomes = await self._commit_group_safely(group)
            for pending, outcome in zip(group, outcomes, strict=True):
                if pending.future.done():
                    continue  # the caller gave up (cancelled)
                if isinstance(outcome, BaseException):
                    pending.future.set_exception(outcome)
                else:
                    pending.future.set_result(outcome)

    async def _commit_group_safely(
        self, group: list[_Pending]
    ) -> list[list[AppendResult] | BaseException]:
        requests = [r for p in group for r in p.requests]
        units = [i for i, p in enumerate(group) for _ in p.requests]
        try:
            flat = await self._commit(requests, atomic=False, units=units)
        except Exception:
            pass
        else:
            outcomes: list[list[AppendResult] | BaseException] = []
            start = 0
            for pending in group:
                mine = flat[start : start + len(pending.requests)]
                start += len(pending.requests)
                failed = next((o for o in mine if isinstance(o, BaseException)), None)
                outcomes.append(failed if failed is not None else mine)  # type: ignore[arg-type]
            return outcomes
        # The group failed as a whole: a unique key hit (events appended again with no
        # conflicting version, an event id reused, a writer outside this process). Commit
        # each unit alone, looking its event ids up, so only an offender fails.
        outcomes = []
        for pending in group:
            try:
                done = await self._commit(pending.requests, atomic=True, check_ids=True)
                outcomes.append(done)  # type: ignore[arg-type]
            except Exception as exc:
                outcomes.append(exc)
        return outcomes

    async def _commit(
        self,
        requests: list[AppendRequest],
        *,
        atomic: bool,
        check_ids: bool = False,
        units: list[int] | None = None,
    ) -> list[AppendResult | BaseException]:
        """One transaction for the group (see `writing.commit_in`)."""
        try:
            if self._sqlite_writer is not None:
                outcomes, appended = await self._sqlite_writer.commit(
                    requests, atomic, check_ids, units
                )
            else:
                assert self._pg_writer is not None
                outcomes, appended = await self._pg_writer.commit(
                    requests, atomic, check_ids, units
                )
        except IntegrityError as exc:
            raise _translate(exc, requests) from exc
        except Exception as exc:
            if type(exc).__name__ in _DRIVER_INTEGRITY_ERRORS:
                raise _translate(exc, requests) from exc
            raise
        if appended:
            self.notify_appended()
        return outcomes

    async def append_in(self, conn: AsyncConnection, request: AppendRequest) -> AppendResult:
        """Append inside the caller's write transaction (a consumer's, with its inbox row).

        Call `notify_appended()` after that transaction commits to wake the relay early.
        """
        self._refuse_if_told()
        request = AppendRequest(
            request.stream_id, request.expected_version, _traced(request.events)
        )
        outcomes, _ = await conn.run_sync(commit_in, [request], True, True)
        result = outcomes[0]
        assert isinstance(result, AppendResult)
        return result

    def _refuse_if_told(self) -> None:
        if self.refusal is not None:
            raise LogBehindStream(self.refusal)

    # -- reading -----------------------------------------------------------------------

    async def read_stream(self, stream_id: str, after_version: int = 0) -> list[RecordedEvent]:
        if self._sqlite_writer is not None:
            return await self._sqlite_writer.read_stream(stream_id, after_version)
        return await pg_read_stream(self.engine, stream_id, after_version)

    async def read_streams(self, stream_ids: Sequence[str]) -> dict[str, list[RecordedEvent]]:
        """Several streams in one read (one query, one hop): id -> events, [] when new."""
        return await self._read(read_streams_rows, list(stream_ids))

    async def read_all(self, after_position: int = 0, limit: int = 1000) -> list[RecordedEvent]:
        return await self._read(read_all_rows, after_position, limit)

    async def read_log(self, after_position: int = 0, limit: int = 1000) -> list[LogRow]:
        """Rows of the log as stored (JSON still text): what the relay needs, nothing more."""
        return await self._read(read_log_rows, after_position, limit)

    async def _read(self, read: Callable[..., T], *args: Any) -> T:
        if self._sqlite_writer is not None:
            return await self._sqlite_writer.read(read, *args)
        async with self.engine.connect() as conn:
            return await conn.run_sync(read, *args)

    async def stream_versions(self, stream_ids: Sequence[str]) -> dict[str, int]:
        """The current version of each stream that exists (missing ones are new)."""
        if not stream_ids:
            return {}
        async with self.engine.connect() as conn:
            return await conn.run_sync(stream_versions, list(stream_ids))

    async def head_position(self) -> int:
        async with self.engine.connect() as conn:
            value = await conn.scalar(select(func.max(events.c.position)))
        return int(value or 0)

    async def log_id(self) -> str:
        """The log's identity: made once with the database, kept by its backups."""
        if self._log_id is None:
            self._log_id = await self.run_write(ensure_log_id, str(uuid.uuid4()))
        return self._log_id

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    # -- checkpoints and snapshots ---------------------------------------------------------

    async def get_checkpoint(self, name: str) -> int:
        return await self._read(checkpoint_position, name) or 0

    async def set_checkpoint(self, name: str, position: int) -> None:
        await self.run_write(save_checkpoint, name, position)

    async def advance_checkpoint(self, name: str, position: int) -> None:
        """`set_checkpoint`, but never backwards (the relay's: see `writing.advance_checkpoint`)."""
        await self.run_write(advance_checkpoint, name, position)

    async def run_write(self, write: Callable[..., T], *args: Any) -> T:
        """Run `write(connection, *args)`, synchronous SQLAlchemy Core, in a write transaction
        of its own: on SQLite in the store's writer thread (one hop, whatever it executes),
        on PostgreSQL through `run_sync`. Projections and the relay write their checkpoints so."""
        if self._sqlite_writer is not None:
            return await self._sqlite_writer.run(write, *args)
        async with write_transaction(self.engine) as conn:
            return await conn.run_sync(write, *args)

    async def save_snapshot(self, stream_id: str, version: int, state: Any) -> None:
        async with write_transaction(self.engine) as conn:
            values = {"stream_id": stream_id, "version": version, "state": codec.dumps(state)}
            await upsert(conn, snapshots, values, ["stream_id"])

    async def load_snapshot(self, stream_id: str) -> tuple[int, Any] | None:
        query = select(snapshots.c.version, snapshots.c.state).where(
            snapshots.c.stream_id == stream_id
        )
        async with self.engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return None if row is None else (row[0], codec.loads(row[1]))


async def read_streams_in(
    conn: AsyncConnection, stream_ids: Sequence[str]
) -> dict[str, list[RecordedEvent]]:
    """Several streams read on the caller's connection: inside a consumer's transaction this
    sees what the transaction appended so far (`store.read_streams` would not)."""
    return await conn.run_sync(read_streams_rows, list(stream_ids))


async def read_all_in(
    conn: AsyncConnection, after_position: int, limit: int = 1000
) -> list[RecordedEvent]:
    """The log after `after_position`, read on the caller's connection (and transaction)."""
    return await conn.run_sync(read_all_rows, after_position, limit)


async def set_checkpoint(conn: AsyncConnection, name: str, position: int) -> None:
    """Move a checkpoint inside the caller's write transaction (`store.set_checkpoint` opens
    one of its own)."""
    await conn.run_sync(save_checkpoint, name, position)


def _traced(
    events_: Sequence[NewEvent],
    traceparent: str | None = None,
    stamped: dict[EventContext, EventContext] | None = None,
) -> tuple[NewEvent, ...]:
    """Stamp the caller's trace context on events that carry none (read here, in the
    caller's task: the group committer runs in a task of its own). Events with one context
    get one stamped context (`stamped`), not a copy each."""
    traceparent = traceparent or current_traceparent()
    if traceparent is None:
        return tuple(events_)
    stamped = {} if stamped is None else stamped
    out = []
    for e in events_:
        if not e.context.traceparent:
            context = stamped.get(e.context)
            if context is None:
                context = stamped[e.context] = replace(e.context, traceparent=traceparent)
            e = replace(e, context=context)
        out.append(e)
    return tuple(out)


def _traced_batch(requests: Sequence[AppendRequest]) -> list[AppendRequest]:
    """`_traced` for a batch: the trace context read once, and one stamped context for all
    the events that share one (a batch of 10,000 sign-ups: 30,000 events, one context)."""
    traceparent = current_traceparent()
    stamped: dict[EventContext, EventContext] = {}
    return [
        AppendRequest(r.stream_id, r.expected_version, _traced(r.events, traceparent, stamped))
        for r in requests
    ]


_DRIVER_INTEGRITY_ERRORS = {"IntegrityError", "UniqueViolationError"}


def _translate(exc: Exception, requests: list[AppendRequest]) -> Exception:
    message = str(getattr(exc, "orig", exc))
    if "event_id" in message:
        return DuplicateEventError(requests[0].events[0].id if len(requests) == 1 else "?")
    request = requests[0]
    return ConcurrencyError(request.stream_id, request.expected_version, -1)
