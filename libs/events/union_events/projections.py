"""Read models built from the service's own log, with a stored checkpoint; rebuildable.

A batch of events and the checkpoint that follows it are written in one transaction, with
the checkpoint row locked first, so a live runner and a rebuild never apply an event twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, Protocol

from sqlalchemy import Connection, MetaData, Table, bindparam, delete, func, inspect, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from .db import lock_schema, write_transaction
from .events import RecordedEvent
from .reading import checkpoint_position, read_all_rows, recorded
from .schema import events
from .store import EventStore, set_checkpoint
from .writing import save_checkpoint

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]  # (position reached, head position)


class Projection(Protocol):
    """A read model. It may also define `async apply_batch(conn, events)` to apply a whole
    batch at once (multi-row inserts); `catch_up` then calls that instead of `apply`. Or
    `apply_sync(conn, events)` on a synchronous Connection: then a whole batch, its reads and
    its checkpoint run as one `store.run_write` (on SQLite one hop to the writer thread instead
    of one per statement), the cheapest way to keep a busy view up to date.

    It may also name the event types it folds, `event_types` (a tuple: whole types, or
    prefixes ending in "." such as "union.claims.claim."): then only those are read from the
    log and handed to it (the others are skipped in SQL, never decoded), and its checkpoint
    still moves past every event read over, folded or not. Without it, every event is."""

    name: str
    tables: Sequence[Table]  # the read model's tables, emptied on rebuild

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None: ...


def checkpoint_name(projection: Projection) -> str:
    return f"projection:{projection.name}"


def _locked_position(conn: Connection, name: str) -> int:
    """Read the checkpoint under its row lock (PostgreSQL; SQLite's write lock is held
    already), creating the row first if it is missing, so that there is one to lock."""
    position = checkpoint_position(conn, name, lock=True)
    if position is None:
        save_checkpoint(conn, name, 0)
        position = checkpoint_position(conn, name, lock=True) or 0
    return position


def _types_filter(types: Sequence[str]) -> Any:
    """`type` is one of `types` (an entry ending in "." a prefix), exactly on either backend
    (`substr`, not LIKE: no wildcard, no collation)."""
    whole = [t for t in types if not t.endswith(".")]
    terms = [func.substr(events.c.type, 1, len(p)) == p for p in types if p.endswith(".")]
    if whole:
        terms.append(events.c.type.in_(whole))
    return or_(*terms)


_HEAD = select(func.max(events.c.position))
REBUILD_BATCH = 2000  # events a transaction on rebuild: fewer commits (fsyncs), fewer statements
SCAN = 20  # a typed read looks over up to SCAN × the batch size of the log per transaction
MIN_SCAN = 20_000


def read_batch(
    conn: Connection, after: int, size: int, types: Sequence[str] | None
) -> tuple[list[RecordedEvent], int]:
    """The next events for a projection after `after` (up to `size`), and the position its
    checkpoint moves to: the last event read; or, reading only `types`, the end of the part of
    the log looked over (so that events it skipped are never looked at again), which is the
    last event read when `size` of them were found in it."""
    if types is None:
        batch = read_all_rows(conn, after, size)
        return batch, batch[-1].position if batch else after
    head = int(conn.execute(_HEAD).scalar() or 0)
    upto = min(head, after + max(SCAN * size, MIN_SCAN))
    if upto <= after:
        return [], after
    query = (
        select(events)
        .where(events.c.position > bindparam("after"), events.c.position <= bindparam("upto"))
        .where(_types_filter(types))
        .order_by(events.c.position)
        .limit(bindparam("limit"))
    )
    rows = conn.execute(query, {"after": after, "upto": upto, "limit": size})
    batch = [recorded(row) for row in rows]
    return batch, batch[-1].position if len(batch) == size else upto


def _sync_batch(
    conn: Connection,
    name: str,
    apply: Callable[[Connection, list[RecordedEvent]], None],
    size: int,
    types: Sequence[str] | None,
) -> tuple[int, bool]:
    position = _locked_position(conn, name)
    batch, reached = read_batch(conn, position, size, types)
    if batch:
        apply(conn, batch)
    if reached > position:
        save_checkpoint(conn, name, reached)
    return len(batch), reached > position


SyncApply = Callable[[Connection, list[RecordedEvent]], None]


def of_types(types: Sequence[str] | None) -> Callable[[str], bool]:
    """Whether an event type is one of `types` (an entry ending in "." a prefix), as
    `_types_filter` says in SQL; every type when `types` is None."""
    if types is None:
        return lambda _: True
    whole = frozenset(t for t in types if not t.endswith("."))
    prefixes = tuple(t for t in types if t.endswith("."))
    return lambda t: t in whole or t.startswith(prefixes)


def _sync_batches(
    conn: Connection, views: Sequence[tuple[str, SyncApply, Callable[[str], bool]]], size: int
) -> int:
    """One read of the log for several read models, in one transaction: each is given the
    events of its types after its own checkpoint (a rebuilt one may lag) and its checkpoint
    moved past them. Returns how many events were read."""
    positions = [_locked_position(conn, name) for name, _, _ in views]
    start = min(positions)
    batch = read_all_rows(conn, start, size)
    if not batch:
        return 0
    last = batch[-1].position
    for (name, apply, wanted), position in zip(views, positions, strict=True):
        if position >= last:
            continue  # it has all of this batch already
        mine = [e for e in batch if e.position > position and wanted(e.type)]
        if mine:
            apply(conn, mine)
        save_checkpoint(conn, name, last)
    return len(batch)


async def _apply_batch(
    store: EventStore, projection: Projection, batch_size: int
) -> tuple[int, bool]:
    """(events applied, whether the checkpoint moved)."""
    name = checkpoint_name(projection)
    types = getattr(projection, "event_types", None)
    apply_sync = getattr(projection, "apply_sync", None)
    if apply_sync is not None:
        return await store.run_write(_sync_batch, name, apply_sync, batch_size, types)
    async with write_transaction(store.engine) as conn:
        position = await conn.run_sync(_locked_position, name)
        batch, reached = await conn.run_sync(read_batch, position, batch_size, types)
        apply_batch = getattr(projection, "apply_batch", None)
        if apply_batch is not None:
            if batch:
                await apply_batch(conn, batch)
        else:
            for event in batch:
                await projection.apply(conn, event)
        if reached > position:
            await conn.run_sync(save_checkpoint, name, reached)
    return len(batch), reached > position


async def catch_up(
    store: EventStore,
    projection: Projection,
    batch_size: int = 500,
    progress: Progress | None = None,
) -> int:
    """Apply everything after the checkpoint; return how many events were applied (of a
    projection naming its `event_types`, those of its types)."""
    total = 0
    head = await store.head_position() if progress else 0
    while True:
        applied, moved = await _apply_batch(store, projection, batch_size)
        if not moved:
            break
        total += applied
        if progress:
            progress(await store.get_checkpoint(checkpoint_name(projection)), head)
    return total


def _changed(conn: Connection, projection: Projection) -> bool:
    """A table of the read model in the database lacks a column the code has, or has one the
    code no longer has; or the read model has a table the database lacks beside one it holds
    (a release added a table: created empty, it would miss what the checkpoint passed)."""
    inspector = inspect(conn)
    held = [inspector.has_table(table.name) for table in projection.tables]
    if any(held) and not all(held):
        return True
    for table in projection.tables:
        if inspector.has_table(table.name):
            columns = {column["name"] for column in inspector.get_columns(table.name)}
            if columns != set(table.columns.keys()):
                return True
    return False


def _renew(conn: Connection, projections: Sequence[Projection]) -> list[str]:
    renewed = []
    for projection in projections:
        if _changed(conn, projection):
            for table in reversed(projection.tables):
                table.drop(conn, checkfirst=True)
            save_checkpoint(conn, checkpoint_name(projection), 0)
            renewed.append(projection.name)
    return renewed


async def create_read_models(
    engine: AsyncEngine, metadata: MetaData, projections: Sequence[Projection]
) -> list[str]:
    """Create the service's tables, first dropping those of every read model whose columns
    changed in the code (a release added or removed one) or that gained a table, with its
    checkpoint reset: it is built again from the log as it runs, so no read model needs a
    migration. A new read model (none of its tables there) starts from the log's beginning
    too: its checkpoint is missing, that is 0. Returns the names
    of the read models renewed. One replica at a time does this (`lock_schema`); a column whose
    type alone changed is not noticed (rename the column, or `unionctl replay`)."""
    async with write_transaction(engine) as conn:
        await lock_schema(conn)
        renewed = await conn.run_sync(_renew, projections)
        await conn.run_sync(metadata.create_all)
    for name in renewed:
        log.warning("read model %s: its tables changed; rebuilding it from the log", name)
    return renewed


async def rebuild(
    store: EventStore,
    projection: Projection,
    batch_size: int = REBUILD_BATCH,
    progress: Progress | None = None,
) -> int:
    """Empty the read model, reset its checkpoint and replay the whole log into it."""
    name = checkpoint_name(projection)
    async with write_transaction(store.engine) as conn:
        await conn.run_sync(_locked_position, name)
        for table in projection.tables:
            await conn.execute(delete(table))
        await set_checkpoint(conn, name, 0)
    return await catch_up(store, projection, batch_size, progress)


def run_projections(
    store: EventStore,
    projections: Sequence[Projection],
    stop: asyncio.Event,
    idle_poll_s: float = 0.5,
) -> list[Coroutine[Any, Any, None]]:
    """What keeps a service's read models up to date until `stop` is set: those with
    `apply_sync` together (one read of the log and one transaction, one commit, per batch
    for all of them, instead of one each), every other one on its own."""
    together = [p for p in projections if getattr(p, "apply_sync", None) is not None]
    alone = [p for p in projections if p not in together]
    if len(together) < 2:
        together, alone = [], list(projections)
    runners = [run_projection(store, p, stop, idle_poll_s) for p in alone]
    if together:
        runners.append(_run_together(store, together, stop, idle_poll_s))
    return runners


async def _run_together(
    store: EventStore, projections: Sequence[Projection], stop: asyncio.Event, idle_poll_s: float
) -> None:
    """If a batch fails for one of them, they go one by one for that round (each logging its
    own failure), so one broken read model does not hold the others back."""
    views = [
        (checkpoint_name(p), p.apply_sync, of_types(getattr(p, "event_types", None)))  # type: ignore[attr-defined]
        for p in projections
    ]
    names = ", ".join(p.name for p in projections)
    while not stop.is_set():
        applied = 0
        try:
            while read := await store.run_write(_sync_batches, views, 500):
                applied += read
        except Exception as exc:
            log.warning("read models %s: a batch together failed (%s); one by one", names, exc)
            for projection in projections:
                try:
                    applied += await catch_up(store, projection)
                except Exception:
                    log.exception("projection %s failed; retrying", projection.name)
                    await asyncio.sleep(1.0)
        if not applied:
            await store.wait_for_append(idle_poll_s)


async def run_projection(
    store: EventStore, projection: Projection, stop: asyncio.Event, idle_poll_s: float = 0.5
) -> None:
    """Keep `projection` up to date until `stop` is set."""
    while not stop.is_set():
        try:
            applied = await catch_up(store, projection)
        except Exception:
            log.exception("projection %s failed; retrying", projection.name)
            applied = 0
            await asyncio.sleep(1.0)
        if not applied:
            await store.wait_for_append(idle_poll_s)
