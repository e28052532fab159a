"""An event store of a dozen lines: streams in a dict, version checks, and a crash switch."""

from __future__ import annotations

from collections.abc import Sequence

from union_events.appending import AppendResult
from union_events.errors import ConcurrencyError
from union_events.events import NewEvent


class Crash(Exception):
    """The process died here."""


class FakeStore:
    def __init__(self) -> None:
        self.streams: dict[str, list[NewEvent]] = {}
        self.crash_after: int | None = None  # appends that succeed before the crash

    async def stream_versions(self, stream_ids: Sequence[str]) -> dict[str, int]:
        return {s: len(self.streams[s]) for s in stream_ids if s in self.streams}

    async def append(
        self, stream_id: str, expected_version: int | None, events: Sequence[NewEvent]
    ) -> AppendResult:
        if self.crash_after is not None:
            if self.crash_after == 0:
                raise Crash()
            self.crash_after -= 1
        current = len(self.streams.get(stream_id, []))
        if expected_version is not None and expected_version != current:
            raise ConcurrencyError(stream_id, expected_version, current)
        self.streams.setdefault(stream_id, []).extend(events)
        return AppendResult(stream_id, current + len(events), 0)
