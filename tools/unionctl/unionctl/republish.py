"""`unionctl republish SERVICE`: send the service's log (its public view) to its stream again,
from the service's own database: the way back after the stream was lost or emptied.

Each message is what the relay publishes (`union_events.relay.relay_message`: the same subject,
CloudEvents body and `Nats-Msg-Id` = event id). JetStream drops the copies of what it still
holds inside its duplicate window; consumers' inboxes drop the rest, so effects stay single.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nats
from nats.js.errors import NotFoundError
from union_events.embedded.nats_auth import CREDENTIALS_FILE, PLATFORM
from union_events.relay import StreamSpec, ensure_stream, relay_message
from union_events.service import ServiceDefinition, nats_auth_options
from union_events.settings import ServiceSettings
from union_events.store import EventStore

Progress = Callable[[int, int], None]
RELAY_CHECKPOINT = "relay"  # the relay's checkpoint name (union_events.relay.Relay)


@dataclass(frozen=True)
class Republished:
    stream: str
    created: bool  # the stream was missing and was made again
    sent: int  # messages published (the public ones among the positions read)
    kept: int  # of those, what the stream already held (JetStream's duplicate answers)
    private: int  # logged events the public view keeps to the service
    first: int  # positions read: first..head
    head: int
    unrelayed: int  # events the service's relay had not yet had acknowledged when it began
    held_before: int  # messages in the stream before
    held_after: int  # and after


def nats_settings(service: str, data_dir: Path, nats_url: str | None) -> ServiceSettings:
    """NATS_URL / NATS_USER / NATS_PASSWORD as the service reads them; without a user, the
    service's own one from `unionctl up`'s `<data dir>/nats-users.json` when there is one."""
    settings = ServiceSettings()
    if nats_url:
        settings.nats_url = nats_url
    users = data_dir / CREDENTIALS_FILE
    if not settings.nats_user and users.exists():
        known: dict[str, str] = json.loads(users.read_text())
        if service in known:
            settings.nats_user, settings.nats_password = service, known[service]
    return settings


def consumers_of(stream: str) -> list[str]:
    """The services that run a durable consumer on `stream`."""
    return sorted(name for name, uses in PLATFORM.items() if any(c.stream == stream for c in uses))


async def republish(
    definition: ServiceDefinition,
    database_url: str,
    settings: ServiceSettings,
    *,
    from_position: int = 1,
    progress: Progress | None = None,
    batch_size: int = 1000,
    ack_timeout_s: float = 30.0,
) -> Republished:
    """Publish the log's public events at positions `from_position`..head (the head when it
    starts; what is appended later is the relay's) to the service's stream, creating it first
    when it is missing."""
    name = definition.name
    store = await EventStore.open(database_url)
    nc = await nats.connect(
        servers=settings.nats_servers(),  # NATS_URL may list a cluster's nodes
        connect_timeout=5,
        max_reconnect_attempts=5,
        **nats_auth_options(settings, name),
    )
    try:
        js = nc.jetstream(publish_async_max_pending=batch_size)
        spec = StreamSpec.for_service(name, settings.duplicate_window_s, settings.stream_replicas)
        created = await _ensure(js, spec)
        held_before = await _messages(js, spec.name)
        head = await store.head_position()
        log_id = await store.log_id()  # stamped as the relay stamps it (the start-up check)
        unrelayed = head - await store.get_checkpoint(RELAY_CHECKPOINT)
        position = max(from_position, 1) - 1
        sent = kept = private = 0
        if progress is not None:
            progress(position, head)
        while position < head:
            batch = await store.read_log(position, limit=min(batch_size, head - position))
            if not batch:
                break
            futures = []
            for row in batch:
                message = relay_message(row, f"/union/{name}", definition.public_view, log_id)
                if message is None:
                    private += 1
                    continue
                subject, headers, body = message
                futures.append(await js.publish_async(subject, body, headers=headers))
            try:
                acks = await asyncio.wait_for(asyncio.gather(*futures), ack_timeout_s)
            finally:
                for future in futures:
                    future.cancel()  # no-op for the acknowledged ones
            sent += len(acks)
            kept += sum(1 for ack in acks if getattr(ack, "duplicate", False))
            position = batch[-1].position
            if progress is not None:
                progress(position, head)
        first = max(from_position, 1)
        held_after = await _messages(js, spec.name)
        return Republished(
            spec.name, created, sent, kept, private, first, head, unrelayed, held_before, held_after
        )
    finally:
        await _close(nc)
        await store.close()


async def _ensure(js: Any, spec: StreamSpec) -> bool:
    """Make the stream as the service does at start-up; True when it was missing."""
    try:
        await js.stream_info(spec.name)
    except NotFoundError:
        await ensure_stream(js, spec)
        return True
    return False


async def _messages(js: Any, stream: str) -> int:
    info = await js.stream_info(stream)
    return int(info.state.messages)


async def _close(nc: Any) -> None:
    try:
        await asyncio.wait_for(nc.drain(), 10)
    except Exception:  # the publishes are acknowledged: nothing is lost by a rough close
        await nc.close()
