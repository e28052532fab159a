"""The relay: the log is the outbox. Tails the log by position and publishes to JetStream.

Publishes are pipelined (many in flight, all acks awaited) and the checkpoint moves only
after every publish up to it is acknowledged. A crash or a NATS outage therefore re-sends
from the checkpoint; `Nats-Msg-Id` = event id lets JetStream drop the re-sends inside its
duplicate window, and consumers' inboxes drop the rest.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from nats.js import JetStreamContext
from nats.js.api import StreamConfig
from nats.js.errors import NotFoundError

from . import codec
from .reading import LogRow
from .store import EventStore
from .wire import encode_row

log = logging.getLogger(__name__)

# What other services may see of a logged event (stream id, type, data): (public type, public
# data), or None to keep
# it private. The integration-event mapping of a service, in one place (e.g. members drops
# the sealed personal data and publishes member id, org path and enrolment facts only).
PublicView = Callable[[str, str, Mapping[str, Any]], tuple[str, Mapping[str, Any]] | None]


@dataclass(frozen=True, slots=True)
class StreamSpec:
    """The JetStream stream a service owns: `CLAIMS` on `union.claims.>`."""

    name: str
    subjects: tuple[str, ...]
    duplicate_window_s: float = 120.0

    @classmethod
    def for_service(cls, service: str, duplicate_window_s: float = 120.0) -> StreamSpec:
        return cls(service.upper(), (f"union.{service}.>",), duplicate_window_s)


async def ensure_stream(js: JetStreamContext, spec: StreamSpec) -> None:
    """Create the stream, or bring its subjects and duplicate window in line."""
    config = StreamConfig(
        name=spec.name,
        subjects=list(spec.subjects),
        duplicate_window=spec.duplicate_window_s,
    )
    try:
        await js.stream_info(spec.name)
    except NotFoundError:
        await js.add_stream(config)
    else:
        await js.update_stream(config)


class Relay:
    def __init__(
        self,
        store: EventStore,
        js: JetStreamContext,
        *,
        source: str,
        stream: StreamSpec,
        checkpoint: str = "relay",
        batch_size: int = 2000,
        ack_timeout_s: float = 10.0,
        idle_poll_s: float = 0.5,
        public_view: PublicView | None = None,
    ) -> None:
        self.store = store
        self.public_view = public_view
        self.js = js
        self.source = source
        self.stream = stream
        self.checkpoint = checkpoint
        self.batch_size = batch_size
        self.ack_timeout_s = ack_timeout_s
        self.idle_poll_s = idle_poll_s
        self.published_position = 0
        self.last_error: str | None = None

    async def lag(self) -> int:
        """Events in the log not yet acknowledged by JetStream."""
        return await self.store.head_position() - self.published_position

    async def run(self, stop: asyncio.Event) -> None:
        """Publish until `stop` is set; survive NATS outages by retrying with back-off."""
        backoff = 0.1
        self.published_position = await self.store.get_checkpoint(self.checkpoint)
        while not stop.is_set():
            try:
                published = await self.publish_pending()
                self.last_error = None
                backoff = 0.1
            except Exception as exc:  # NATS down, timeout, DB hiccup: retry from checkpoint
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.warning("relay %s: %s; retrying in %.1fs", self.stream.name, exc, backoff)
                await _sleep_or_stop(stop, backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            if not published:
                waiter = asyncio.create_task(self.store.wait_for_append(self.idle_poll_s))
                stopper = asyncio.create_task(stop.wait())
                await asyncio.wait({waiter, stopper}, return_when=asyncio.FIRST_COMPLETED)
                for task in (waiter, stopper):
                    task.cancel()

    async def publish_pending(self) -> int:
        """Publish everything after the checkpoint; return how many events were sent."""
        position = await self.store.get_checkpoint(self.checkpoint)
        total = 0
        while True:
            batch = await self.store.read_log(position, limit=self.batch_size)
            if not batch:
                self.published_position = position
                return total
            futures = []
            for event in batch:
                public = self._public(event)
                if public is None:
                    continue  # private to the service: never leaves its log
                subject, headers, body = encode_row(public, self.source)
                futures.append(await self.js.publish_async(subject, body, headers=headers))
            try:
                await asyncio.wait_for(asyncio.gather(*futures), self.ack_timeout_s)
            finally:
                for future in futures:
                    future.cancel()  # no-op for the acknowledged ones
            position = batch[-1].position
            await self.store.set_checkpoint(self.checkpoint, position)
            self.published_position = position
            total += len(batch)

    def _public(self, row: LogRow) -> LogRow | None:
        if self.public_view is None:
            return row
        shown = self.public_view(row.stream_id, row.type, codec.loads(row.data_json))
        if shown is None:
            return None
        event_type, data = shown
        return row._replace(type=event_type, data_json=codec.dumps(data))


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        pass
