"""An event store in memory, for app-layer tests: the public API of `store.EventStore`, the
same append rules (the pure `appending.plan_group` decides every append here too), no database.

Events are kept as the log keeps them (data and context as JSON text) and decoded on each
read, so what a handler reads back is what it would read from SQLite or PostgreSQL (a Decimal
comes back a string, a fresh dict each time). There are no transactions: `append_in` commits
at once, and the SQL-only parts (`engine`, `run_write`, `read_streams_in` on a connection) are
not here; a command run with `conn=None` (`commands.run`) needs none of them.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, cast

from . import codec
from .appending import AppendRequest, AppendResult, AppendSignal, plan_group
from .errors import LogBehindStream
from .events import EventContext, NewEvent, RecordedEvent
from .reading import LogRow
from .store import _traced

# A row `plan_group` plans, in `appending.ROW_COLUMNS` order.
_Row = tuple[int, str, str, int, str, str, str, datetime]


class InMemoryEventStore(AppendSignal):
    def __init__(self, *, group_commit: bool = True) -> None:
        self.group_commit = group_commit  # as `EventStore`'s; here each append commits alone
        self._log: list[LogRow] = []  # position p is self._log[p - 1]: dense from 1
        self._versions: list[int] = []  # the stream version of each log row, by position
        self._streams: dict[str, list[int]] = {}  # stream id -> its positions, in version order
        self._ids: dict[str, tuple[str, int, int]] = {}  # event id -> (stream, version, position)
        self._checkpoints: dict[str, int] = {}
        self._snapshots: dict[str, tuple[int, str]] = {}
        self._log_id = str(uuid.uuid4())
        # Why appends are refused, if they are (as `EventStore.refusal`).
        self.refusal: str | None = None

    @classmethod
    async def open(cls, url: str = "memory://", **kw: Any) -> InMemoryEventStore:
        return cls(**kw)

    async def create_schema(self) -> None:
        pass

    async def close(self) -> None:
        pass

    async def ping(self) -> None:
        pass

    async def log_id(self) -> str:
        return self._log_id

    # -- appending -------------------------------------------------------------------

    async def append(
        self, stream_id: str, expected_version: int | None, events_: Sequence[NewEvent]
    ) -> AppendResult:
        """Append to one stream; `expected_version` 0 means a new stream, None means any."""
        request = AppendRequest(stream_id, expected_version, _traced(events_))
        (result,) = await self._commit([request])
        return result

    async def append_batch(self, requests: Sequence[AppendRequest]) -> list[AppendResult]:
        """Append to many streams at once: all or nothing (the first error)."""
        traced = [
            AppendRequest(r.stream_id, r.expected_version, _traced(r.events)) for r in requests
        ]
        return await self._commit(traced)

    async def append_in(self, conn: object, request: AppendRequest) -> AppendResult:
        """As `EventStore.append_in`, but there is no transaction to join: `conn` is ignored
        and the append commits at once."""
        return await self.append(request.stream_id, request.expected_version, request.events)

    async def _commit(self, requests: list[AppendRequest]) -> list[AppendResult]:
        if self.refusal is not None:
            raise LogBehindStream(self.refusal)
        # Let other tasks run first, as a database round trip would: commands gathered at
        # once all read before any of them appends, and conflict as they would on SQL.
        await asyncio.sleep(0)
        ids = [e.id for r in requests for e in r.events]
        existing = {i: self._ids[i] for i in ids if i in self._ids}
        versions = {r.stream_id: len(self._streams.get(r.stream_id, ())) for r in requests}
        plan = plan_group(requests, existing, versions, len(self._log), [0] * len(requests))
        for outcome in plan.outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
        for planned in plan.rows:
            position, event_id, stream_id, version, type_, data, context, at = cast(_Row, planned)
            assert position == len(self._log) + 1
            self._log.append(LogRow(position, event_id, stream_id, type_, data, context, _utc(at)))
            self._versions.append(version)
            self._streams.setdefault(stream_id, []).append(position)
            self._ids[event_id] = (stream_id, version, position)
        if plan.rows:
            self.notify_appended()
        return [o for o in plan.outcomes if isinstance(o, AppendResult)]

    # -- reading -----------------------------------------------------------------------

    async def read_stream(self, stream_id: str, after_version: int = 0) -> list[RecordedEvent]:
        positions = self._streams.get(stream_id, [])[max(after_version, 0) :]
        return [self._recorded(p) for p in positions]

    async def read_streams(self, stream_ids: Sequence[str]) -> dict[str, list[RecordedEvent]]:
        """Several streams at once: id -> events, [] when new."""
        return {s: [self._recorded(p) for p in self._streams.get(s, [])] for s in stream_ids}

    async def read_all(self, after_position: int = 0, limit: int = 1000) -> list[RecordedEvent]:
        start = max(after_position, 0)
        return [self._recorded(p) for p in range(start + 1, min(start + limit, len(self._log)) + 1)]

    async def read_log(self, after_position: int = 0, limit: int = 1000) -> list[LogRow]:
        """Rows of the log as stored (JSON still text), as the relay reads them."""
        start = max(after_position, 0)
        return self._log[start : start + limit]

    async def stream_versions(self, stream_ids: Sequence[str]) -> dict[str, int]:
        """The current version of each stream that exists (missing ones are new)."""
        return {s: len(self._streams[s]) for s in dict.fromkeys(stream_ids) if s in self._streams}

    async def head_position(self) -> int:
        return len(self._log)

    def _recorded(self, position: int) -> RecordedEvent:
        row = self._log[position - 1]
        return RecordedEvent(
            position=row.position,
            stream_id=row.stream_id,
            version=self._versions[position - 1],
            id=row.event_id,
            type=row.type,
            data=codec.loads(row.data_json),
            occurred_at=row.occurred_at,
            context=(
                EventContext.from_dict(codec.loads(row.context_json))
                if row.context_json != "{}"
                else EventContext()
            ),
        )

    # -- checkpoints and snapshots ---------------------------------------------------------

    async def get_checkpoint(self, name: str) -> int:
        return self._checkpoints.get(name, 0)

    async def set_checkpoint(self, name: str, position: int) -> None:
        self._checkpoints[name] = position

    async def advance_checkpoint(self, name: str, position: int) -> None:
        """`set_checkpoint`, but never backwards."""
        self._checkpoints[name] = max(position, self._checkpoints.get(name, position))

    async def save_snapshot(self, stream_id: str, version: int, state: Any) -> None:
        self._snapshots[stream_id] = (version, codec.dumps(state))

    async def load_snapshot(self, stream_id: str) -> tuple[int, Any] | None:
        found = self._snapshots.get(stream_id)
        return None if found is None else (found[0], codec.loads(found[1]))


def _utc(value: datetime) -> datetime:
    """As the databases give it back: in UTC (a naive time is taken as UTC, as SQLite does)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
