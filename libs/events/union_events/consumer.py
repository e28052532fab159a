"""Idempotent JetStream consumers with a dead-letter subject, on FastStream.

Each message is handled in one database transaction that also records its event id in the
inbox: a redelivered event finds its id there and changes nothing. A message that cannot be
parsed goes to the dead-letter subject at once; one whose handler keeps failing goes there
after `max_deliveries` tries. Either way the consumer acknowledges it and carries on.

What a handler appends, it appends as caused by the incoming event: `caused_by(event)` is the
context (the same correlation, the event as cause, its org path) and `run_caused` runs a
command (`union_events.commands.run`) in the handler's transaction under that context, so the
ids of what it appends derive from the cause and a redelivered event appends nothing twice.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, TypeVar

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from .commands import Work, run
from .db import write_transaction
from .events import EventContext, utcnow
from .logs import bound
from .schema import inbox
from .store import EventStore
from .telemetry import continued_span
from .wire import IncomingEvent, WireFormatError, decode

log = logging.getLogger(__name__)

Handler = Callable[[AsyncConnection, IncomingEvent], Awaitable[None]]
R = TypeVar("R")


def caused_by(event: IncomingEvent, *, org_path: str | None = None) -> EventContext:
    """The context of what `event` caused: its correlation (the event itself when it started
    one), the event as the cause, and its org path (or `org_path`, the place the caused events
    concern, when the handler knows better). The actor is left to the publishing service."""
    return EventContext(
        correlation_id=event.context.correlation_id or event.id,
        causation_id=event.id,
        org_path=org_path or event.context.org_path,
    )


async def run_caused(
    store: EventStore,
    conn: AsyncConnection,
    cause: IncomingEvent,
    command: Callable[[Work], Awaitable[R]],
    *,
    org_path: str | None = None,
) -> R:
    """Run `command` in the consumer's transaction `conn`, as caused by `cause`: it reads
    there (seeing what the transaction appended so far), appends at the versions read, with
    event ids derived from the cause. A concurrent change fails the message, which is retried
    whole (and decides the same ids again)."""
    return await run(store, command, context=caused_by(cause, org_path=org_path), conn=conn)


class Outcome(Enum):
    HANDLED = "handled"
    DUPLICATE = "duplicate"
    RETRY = "retry"
    DEAD_LETTERED = "dead_lettered"


@dataclass(frozen=True, slots=True)
class ConsumerSpec:
    """A durable consumer: `name` is the durable name and the inbox key."""

    name: str
    stream: str  # e.g. "MEMBERS"
    subject: str  # filter, e.g. "union.members.>"
    handler: Handler
    max_deliveries: int = 5
    retry_delay_s: float = 0.5


def dead_letter_subject(service: str, consumer: str) -> str:
    return f"union.dlq.{service}.{consumer}"


class InboxConsumer:
    def __init__(
        self,
        spec: ConsumerSpec,
        engine: AsyncEngine,
        js: JetStreamContext,
        service: str,
        after_commit: Callable[[], None] | None = None,
    ) -> None:
        self.spec = spec
        self.engine = engine
        self.js = js
        self.service = service
        self.after_commit = after_commit
        self.handled = 0
        self.duplicates = 0  # redeliveries and re-sends the inbox turned away
        self.dead_lettered = 0

    async def handle(self, msg: Msg) -> Outcome:
        """Handle one message and settle it (ack, nak with delay, or dead-letter + ack)."""
        try:
            event = decode(msg.data)
        except WireFormatError as exc:
            return await self._dead_letter(msg, f"unparseable: {exc}")
        with (
            continued_span(
                f"consume {event.type}", event.context.traceparent, consumer=self.spec.name
            ),
            bound(correlation=event.context.correlation_id, service=self.service),
        ):
            try:
                outcome = await self._apply(event, msg)
            except Exception as exc:
                return await self._failed(msg, event, exc)
        await msg.ack()
        if outcome is Outcome.DUPLICATE:
            self.duplicates += 1
        if outcome is Outcome.HANDLED:
            self.handled += 1
            if self.after_commit is not None:
                self.after_commit()
        return outcome

    async def _apply(self, event: IncomingEvent, msg: Msg) -> Outcome:
        async with write_transaction(self.engine) as conn:
            recorded = await conn.execute(
                _inbox_insert(conn).values(
                    consumer=self.spec.name,
                    event_id=event.id,
                    type=event.type,
                    stream_seq=_stream_seq(msg),
                    handled_at=utcnow(),
                )
            )
            if recorded.rowcount == 0:
                return Outcome.DUPLICATE
            await self.spec.handler(conn, event)
        return Outcome.HANDLED

    async def _failed(self, msg: Msg, event: IncomingEvent, exc: Exception) -> Outcome:
        tries = _deliveries(msg)
        if tries >= self.spec.max_deliveries:
            reason = f"failed {tries} times: {type(exc).__name__}: {exc}"
            return await self._dead_letter(msg, reason, event.id)
        log.warning("%s: %s on try %d: %s", self.spec.name, event.type, tries, exc)
        await msg.nak(delay=self.spec.retry_delay_s * tries)
        return Outcome.RETRY

    async def _dead_letter(self, msg: Msg, reason: str, event_id: str | None = None) -> Outcome:
        headers = {
            "Nats-Msg-Id": f"{self.spec.name}:{event_id or _stream_seq(msg)}",
            "Union-Dead-Letter-Reason": reason[:1000],
            "Union-Original-Subject": msg.subject,
            "Union-Consumer": self.spec.name,
        }
        subject = dead_letter_subject(self.service, self.spec.name)
        await self.js.publish(subject, msg.data, headers=headers)
        await msg.ack()
        self.dead_lettered += 1
        log.error("%s: dead-lettered message on %s: %s", self.spec.name, msg.subject, reason)
        return Outcome.DEAD_LETTERED


def _inbox_insert(conn: AsyncConnection) -> Any:
    if conn.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(inbox).on_conflict_do_nothing()
    from sqlalchemy.dialects.postgresql import insert as pg_insert

    return pg_insert(inbox).on_conflict_do_nothing()


def _deliveries(msg: Msg) -> int:
    try:
        return int(msg.metadata.num_delivered)
    except Exception:  # a plain (non-JetStream) message, as in unit tests
        return 1


def _stream_seq(msg: Msg) -> int | None:
    try:
        return int(msg.metadata.sequence.stream)
    except Exception:
        return None
