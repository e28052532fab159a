"""Our side: union_events' EventStore (group commit on append, one transaction per batch)."""

from __future__ import annotations

import asyncio

from union_events.events import NewEvent
from union_events.store import EventStore

from .backends import Database
from .timing import atimed, expect
from .workload import CONCURRENT_CALLERS, Workload, our_batch, our_commands, split

Commands = list[tuple[str, list[NewEvent]]]


def sequential_write_then_read(db: Database, workload: Workload) -> tuple[float, float]:
    """(a) one caller appends aggregate after aggregate; (c) read each stream back."""
    return asyncio.run(_sequential_write_then_read(db, workload))


def concurrent_write(db: Database, workload: Workload) -> float:
    """(b) the same appends from concurrent asyncio tasks sharing one store."""
    return asyncio.run(_concurrent_write(db, workload))


def batch_append(db: Database, workload: Workload) -> float:
    """(d) every aggregate in one append_batch call: one transaction."""
    return asyncio.run(_batch_append(db, workload))


async def _sequential_write_then_read(db: Database, workload: Workload) -> tuple[float, float]:
    commands = our_commands(workload)
    store = await EventStore.open(db.url)
    try:
        write_s, _ = await atimed(_append_each(store, commands))
        expect("events in the log", await store.head_position(), workload.events)
        read_s, read = await atimed(_read_each(store, workload.stream_ids()))
        expect("events read back", read, workload.events)
    finally:
        await store.close()
    return write_s, read_s


async def _concurrent_write(db: Database, workload: Workload) -> float:
    callers = split(our_commands(workload), CONCURRENT_CALLERS)
    store = await EventStore.open(db.url)
    try:
        seconds, _ = await atimed(asyncio.gather(*(_append_each(store, c) for c in callers)))
        expect("events in the log", await store.head_position(), workload.events)
    finally:
        await store.close()
    return seconds


async def _batch_append(db: Database, workload: Workload) -> float:
    requests = our_batch(workload)
    store = await EventStore.open(db.url)
    try:
        seconds, _ = await atimed(store.append_batch(requests))
        expect("events in the log", await store.head_position(), workload.events)
    finally:
        await store.close()
    return seconds


async def _append_each(store: EventStore, commands: Commands) -> None:
    for stream_id, events in commands:
        await store.append(stream_id, 0, events)


async def _read_each(store: EventStore, stream_ids: list[str]) -> int:
    return sum([len(await store.read_stream(stream_id)) for stream_id in stream_ids])
