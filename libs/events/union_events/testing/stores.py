"""Opening an event store by URL for tests: SQLite, PostgreSQL, or `memory://` (in memory)."""

from __future__ import annotations

from typing import Any

from ..memory import InMemoryEventStore
from ..store import EventStore

MEMORY_URL = "memory://"


async def open_store(url: str, **kw: Any) -> EventStore | InMemoryEventStore:
    """`EventStore.open(url)`, or the in-memory store for `memory://`."""
    if url == MEMORY_URL:
        return await InMemoryEventStore.open(url, **kw)
    return await EventStore.open(url, **kw)
