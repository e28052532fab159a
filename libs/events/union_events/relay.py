"""The relay: the log is the outbox. Tails the log by position and publishes to JetStream.

Publishes are pipelined (two batches in flight, each sent in one write, every ack awaited:
`publishing.AckedPublisher`)
and the checkpoint moves only after every publish up to it is acknowledged. A crash or a NATS
outage therefore re-sends from the checkpoint; `Nats-Msg-Id` = event id lets JetStream drop
the re-sends inside its duplicate window, and consumers' inboxes drop the rest.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any

from nats.js import JetStreamContext

from . import codec
from .lease import Lease, LocalLease
from .provisioning import StreamSpec, ensure_stream
from .publishing import AckedPublisher, PublishedBatch
from .reading import LogRow
from .store import EventStore
from .wire import RowEncoder, encode_row

log = logging.getLogger(__name__)

__all__ = ["PublicView", "Relay", "StreamSpec", "ensure_stream"]  # the last two: provisioning

# What other services may see of a logged event (stream id, type, data): (public type, public
# data), or None to keep
# it private. The integration-event mapping of a service, in one place (e.g. members drops
# the sealed personal data and publishes member id, org path and enrolment facts only).
PublicView = Callable[[str, str, Mapping[str, Any]], tuple[str, Mapping[str, Any]] | None]


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
        lease: Lease | None = None,
        lease_poll_s: float = 1.0,
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
        self.lease: Lease = lease or LocalLease()
        self.lease_poll_s = lease_poll_s
        self.log_id: str | None = None  # stamped on every message, with the position
        self.role = "stopped"  # then "standby" or "active" (holds the lease, publishes)
        self.published = 0  # messages JetStream acknowledged from this relay
        self.duplicates = 0  # of them, acknowledged as duplicates (already in the stream)
        self._publisher: AckedPublisher | None = None

    async def lag(self) -> int:
        """Events in the log not yet acknowledged by JetStream."""
        return await self.store.head_position() - self.published_position

    async def run(self, stop: asyncio.Event) -> None:
        """Publish while holding the lease, until `stop` is set; survive NATS and database
        outages by retrying with back-off. Without the lease, wait as a standby."""
        backoff = 0.1
        self.published_position = await self.store.get_checkpoint(self.checkpoint)
        self.log_id = await self.store.log_id()
        self.role = "standby"
        try:
            while not stop.is_set():
                try:
                    if not await self._hold_lease():
                        await _sleep_or_stop(stop, self.lease_poll_s)
                        continue
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
        finally:
            self.role = "stopped"
            try:
                await self.lease.release()
            except Exception as exc:
                log.warning("relay %s: releasing the lease: %s", self.stream.name, exc)

    async def _hold_lease(self) -> bool:
        """Keep the lease, or try to take it; a standby follows the checkpoint (its lag)."""
        if self.role == "active":
            if await self.lease.still_held():
                return True
            self.role = "standby"
            log.warning("relay %s: lease lost; standing by", self.stream.name)
        if await self.lease.acquire():
            self.role = "active"
            log.info("relay %s: took the lease; publishing", self.stream.name)
            return True
        self.published_position = await self.store.get_checkpoint(self.checkpoint)
        return False

    async def publish_pending(self) -> int:
        """Publish everything after the checkpoint; return how many events were sent.

        Two batches in flight: the next is read and sent while the acks of the one before
        arrive; the checkpoint moves past a batch once every ack of it (and of those before
        it) came back."""
        position = await self.store.get_checkpoint(self.checkpoint)
        self.log_id = self.log_id or await self.store.log_id()
        publisher = self._publisher or AckedPublisher(self.js._nc)
        self._publisher = publisher
        encoder = RowEncoder(self.source, self.log_id)
        public_view = self.public_view
        total = 0
        in_flight: deque[tuple[PublishedBatch, int, int]] = deque()
        try:
            while True:
                if total and not await self.lease.still_held():
                    return total  # lost the lease between batches: the successor goes on
                batch = await self.store.read_log(position, limit=self.batch_size)
                if batch:
                    if public_view is None:
                        frames = [encoder.frame(row) for row in batch]
                    else:  # events private to the service never leave its log
                        shown = (public_row(row, public_view) for row in batch)
                        frames = [encoder.frame(row) for row in shown if row is not None]
                    sent = await publisher.publish_batch(frames)
                    in_flight.append((sent, batch[-1].position, len(batch)))
                    position = batch[-1].position
                if in_flight and (len(in_flight) > 1 or not batch):
                    sent, upto, count = in_flight[0]
                    duplicates = await asyncio.wait_for(sent.done, self.ack_timeout_s)
                    in_flight.popleft()
                    self.published += sent.size
                    self.duplicates += duplicates
                    await self.store.advance_checkpoint(self.checkpoint, upto)
                    self.published_position = upto
                    total += count
                if not batch and not in_flight:
                    self.published_position = position
                    return total
        finally:
            # the next try sends them again from the checkpoint
            publisher.forget([sent for sent, _, _ in in_flight])


def relay_message(
    row: LogRow, source: str, public_view: PublicView | None, log_id: str | None = None
) -> tuple[str, dict[str, str], bytes] | None:
    """Subject, headers and body the relay publishes for a logged row, None if it is private:
    the relay's and `unionctl republish`'s one encoding (stamped with the log's id and the
    event's position, as the start-up check reads them)."""
    public = public_row(row, public_view)
    return None if public is None else encode_row(public, source, log_id)


def public_row(row: LogRow, public_view: PublicView | None) -> LogRow | None:
    """The row as other services see it (the service's public view), None to keep it private."""
    if public_view is None:
        return row
    shown = public_view(row.stream_id, row.type, codec.loads(row.data_json))
    if shown is None:
        return None
    event_type, data = shown
    return row._replace(type=event_type, data_json=codec.dumps(data))


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        pass
