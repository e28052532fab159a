"""A log behind its stream: a service never appends to a log that lacks events it published.

Every message the relay publishes carries the event's log position (`Union-Log-Position`) and
the log's id (`Union-Log-Id`, made once with the database; a backup keeps it). At start-up the
service reads the last message of its stream: if it came from this log and its position is
above the log's head, or its event is not in the log, the database was restored from an older
state than what the stream (and every consumer) has seen. A stream last fed by another log (a
new, empty database) is not compared: positions mean something within one log only. A
service behind its stream stays not-ready and refuses appends, so that new events are never
numbered into positions others consumed, until an operator decides (`unionctl accept-loss
SERVICE`, docs/operations.md).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from nats.js import JetStreamContext
from nats.js.errors import NotFoundError
from sqlalchemy import Connection, func, select, update

from .db import insert_for
from .events import utcnow
from .schema import events, log_losses
from .store import EventStore
from .wire import LOG_ID_HEADER, LOG_POSITION_HEADER
from .writing import advance_checkpoint

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class StreamTail:
    """The last message on a service's stream: its event id and log position (if stamped)."""

    stream: str
    event_id: str
    position: int | None
    log_id: str | None  # the log the position is in


@dataclass(frozen=True, slots=True)
class Loss:
    """A row of `log_losses`: what the stream held that the log lacked, and the decision."""

    stream: str
    stream_event_id: str
    stream_position: int | None
    log_head: int
    noticed_at: datetime
    accepted_at: datetime | None
    accepted_by: str | None
    note: str | None

    @property
    def lost(self) -> str:
        """The lost positions, in words."""
        if self.stream_position is None:
            return f"events after position {self.log_head} (how many is unknown)"
        count = self.stream_position - self.log_head
        return f"positions {self.log_head + 1}..{self.stream_position} ({count} events)"


async def stream_tail(js: JetStreamContext, stream: str) -> StreamTail | None:
    """The stream's last message, None when the stream is missing or empty."""
    try:
        info = await js.stream_info(stream)
    except NotFoundError:
        return None
    if not info.state.messages or not info.state.last_seq:
        return None
    msg = await js.get_msg(stream, seq=info.state.last_seq)
    headers = msg.headers or {}
    raw = headers.get(LOG_POSITION_HEADER)
    position = int(raw) if raw and raw.isdigit() else None
    return StreamTail(stream, headers.get("Nats-Msg-Id", ""), position, headers.get(LOG_ID_HEADER))


async def check_log(store: EventStore, js: JetStreamContext, stream: str) -> str | None:
    """Why the log must not be appended to (it is behind `stream`), or None. A problem found
    is recorded in `log_losses`, where `unionctl accept-loss` finds it."""
    tail = await stream_tail(js, stream)  # read before the log: the log only grows meanwhile
    if tail is None or not tail.event_id:
        return None  # nothing published yet, or a lost stream: `unionctl republish`
    if tail.log_id != await store.log_id():
        # Last fed by another log (a new, empty database; or messages from before log ids):
        # its positions say nothing about this one.
        log.info("%s: last fed by log %s, not this one: not compared", stream, tail.log_id)
        return None
    head, logged, accepted = await store.run_write(_look, tail)
    if accepted or logged:
        return None
    if tail.position is not None and tail.position <= head:
        why = f"its last event {tail.event_id} (position {tail.position}) is not in the log"
    else:
        at = "" if tail.position is None else f" up to position {tail.position}"
        why = f"the log ends at position {head}, the stream holds events{at}"
    return (
        f"log behind stream {stream}: {why}; the database was restored from an older state? "
        f"Bring the events back or accept the loss (`unionctl accept-loss`, see "
        f"docs/operations.md, 'A log behind its stream')"
    )


def _look(conn: Connection, tail: StreamTail) -> tuple[int, bool, bool]:
    """(log head, the tail's event is logged, its loss was accepted); records a new loss."""
    logged = conn.execute(
        select(events.c.position).where(events.c.event_id == tail.event_id)
    ).first()
    if logged is not None:
        return 0, True, False
    head = _head(conn)
    same = log_losses.c.stream_event_id == tail.event_id
    if tail.position is not None:  # or a later loss accepted, above this position
        same = same | (log_losses.c.stream_position >= tail.position)
    accepted = conn.execute(
        select(log_losses.c.stream_event_id).where(log_losses.c.accepted_at.is_not(None), same)
    ).first()
    if accepted is not None:
        return head, False, True
    noticed = {
        "stream_event_id": tail.event_id,
        "stream_position": tail.position,
        "stream": tail.stream,
        "log_head": head,
        "noticed_at": utcnow(),
    }
    insert = insert_for(conn.dialect.name)
    conn.execute(insert(log_losses).values(**noticed).on_conflict_do_nothing())  # the first
    return head, False, False


async def pending_losses(store: EventStore) -> list[Loss]:
    """Losses noticed and not yet accepted."""
    return [loss for loss in await losses(store) if loss.accepted_at is None]


async def losses(store: EventStore) -> list[Loss]:
    async with store.engine.connect() as conn:
        rows = await conn.execute(select(*_LOSS_COLUMNS).order_by(log_losses.c.noticed_at))
        return [Loss(*row) for row in rows]


async def accept_losses(store: EventStore, by: str, note: str = "") -> list[Loss]:
    """Accept every pending loss: new events are numbered above the highest lost position,
    and the relay's checkpoint moves to the log's head (all of it is on the stream already).
    Returns the losses accepted."""
    return await store.run_write(_accept, by, note)


def _accept(conn: Connection, by: str, note: str) -> list[Loss]:
    pending = [
        Loss(*row)
        for row in conn.execute(select(*_LOSS_COLUMNS).where(log_losses.c.accepted_at.is_(None)))
    ]
    if not pending:
        return []
    conn.execute(
        update(log_losses)
        .where(log_losses.c.accepted_at.is_(None))
        .values(accepted_at=utcnow(), accepted_by=by, note=note or None)
    )
    # The restored log is a prefix of the one the stream was fed from: all of it is there.
    advance_checkpoint(conn, "relay", _head(conn))
    return pending


def _head(conn: Connection) -> int:
    return int(conn.execute(select(func.max(events.c.position))).scalar() or 0)


_LOSS_COLUMNS: Sequence[Any] = (
    log_losses.c.stream,
    log_losses.c.stream_event_id,
    log_losses.c.stream_position,
    log_losses.c.log_head,
    log_losses.c.noticed_at,
    log_losses.c.accepted_at,
    log_losses.c.accepted_by,
    log_losses.c.note,
)
