"""What a service sets up on JetStream at start-up: its streams, with `STREAM_REPLICAS`.

A missing stream is created with that many replicas on file storage. An existing one is the
operator's: the service changes only what it owns (its stream's subjects and duplicate
window), with the rest of the config as found, so replicas, limits and placement an operator
set are never put back. Retention is limits with no limit: events are kept for ever, and a
subscriber that starts late reads its stream from the first event.

Durable consumers (created by the FastStream subscriber, `service.py`) carry no replica count
of their own: JetStream gives such a consumer as many replicas as its stream and scales it with
the stream. An explicit count would stay behind when an operator scales the stream, and may
not exceed the stream's.

A cluster that cannot answer yet (its nodes restarting and electing a meta leader, or too few
of them up) is waited for: `patiently` asks again on a timeout, a 503 ("no responders",
"JetStream system temporarily unavailable") or "no suitable peers", up to JETSTREAM_WAIT_S
(30 s), and only then fails the start-up, saying why.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from nats.js import JetStreamContext
from nats.js.api import RetentionPolicy, StorageType, StreamConfig, StreamInfo
from nats.js.errors import APIError, BadRequestError, NotFoundError, ServiceUnavailableError

log = logging.getLogger(__name__)

_NAME_IN_USE = 10058  # "stream name already in use": another replica created it just now
_NO_PEERS = 10005  # "no suitable peers for placement": a node down, or not yet known
T = TypeVar("T")


class ReplicationError(RuntimeError):
    """A stream could not be created with the replicas asked for (STREAM_REPLICAS)."""


@dataclass(frozen=True, slots=True)
class StreamSpec:
    """The JetStream stream a service owns: `CLAIMS` on `union.claims.>`."""

    name: str
    subjects: tuple[str, ...]
    duplicate_window_s: float = 120.0
    replicas: int = 1  # at creation only

    @classmethod
    def for_service(
        cls, service: str, duplicate_window_s: float = 120.0, replicas: int = 1
    ) -> StreamSpec:
        return cls(service.upper(), (f"union.{service}.>",), duplicate_window_s, replicas)

    @classmethod
    def dead_letters(cls, service: str, replicas: int = 1) -> StreamSpec:
        return cls(f"DLQ_{service.upper()}", (f"union.dlq.{service}.>",), replicas=replicas)


def _transient(exc: BaseException) -> bool:
    """An answer a cluster gives while electing, or with too few nodes up: ask again."""
    if isinstance(exc, TimeoutError | ServiceUnavailableError):  # nats' timeout is one too
        return True
    return isinstance(exc, BadRequestError) and exc.err_code == _NO_PEERS


async def patiently(step: Callable[[], Awaitable[T]], what: str, wait_s: float = 30.0) -> T:
    """`step()`, asked again while JetStream cannot answer (see the module's note), for up to
    `wait_s` seconds; then a ReplicationError naming what did not answer and why."""
    deadline = time.monotonic() + wait_s
    pause = 0.2
    while True:
        try:
            return await step()
        except ReplicationError as exc:
            cause = exc.__cause__
            if cause is None or not _transient(cause) or time.monotonic() >= deadline:
                raise
            last: BaseException = cause
        except Exception as exc:
            if not _transient(exc):
                raise
            if time.monotonic() >= deadline:
                raise ReplicationError(
                    f"{what}: JetStream did not answer within {wait_s:g} s (JETSTREAM_WAIT_S): "
                    f"{exc!r}; is a majority of the cluster's nodes up?"
                ) from exc
            last = exc
        log.warning("%s: JetStream not answering yet (%r); asking again", what, last)
        await asyncio.sleep(min(pause, max(deadline - time.monotonic(), 0.0)))
        pause = min(pause * 2, 2.0)


def new_stream_config(spec: StreamSpec) -> StreamConfig:
    return StreamConfig(
        name=spec.name,
        subjects=list(spec.subjects),
        duplicate_window=spec.duplicate_window_s,
        num_replicas=spec.replicas,
        storage=StorageType.FILE,
        retention=RetentionPolicy.LIMITS,  # and no limits: kept for ever
    )


async def ensure_stream(js: JetStreamContext, spec: StreamSpec) -> StreamInfo:
    """Create the stream, or bring only its subjects and duplicate window in line."""
    try:
        info = await js.stream_info(spec.name)
    except NotFoundError:
        created = await _create(js, spec)
        if created is not None:
            return created
        info = await js.stream_info(spec.name)
    config = info.config
    missing = [s for s in spec.subjects if s not in (config.subjects or [])]
    window_changed = abs((config.duplicate_window or 0) - spec.duplicate_window_s) > 1e-3
    _warn_if_fewer(f"stream {spec.name}", config.num_replicas, spec.replicas)
    if not missing and not window_changed:
        return info
    # The config as found, with our two fields changed: update_stream replaces the whole
    # config, and a field left out (num_replicas, max_age, placement...) would be reset.
    config.subjects = [*(config.subjects or []), *missing]
    config.duplicate_window = spec.duplicate_window_s
    return await js.update_stream(config)


async def ensure_source_stream(
    js: JetStreamContext, stream: str, subject: str, replicas: int = 1
) -> StreamInfo:
    """A consumer may start before the producer made its stream: create it, never alter it."""
    try:
        info = await js.stream_info(stream)
    except NotFoundError:
        pass
    else:
        _warn_if_fewer(f"stream {stream}", info.config.num_replicas, replicas)
        return info
    prefix = ".".join(subject.split(".")[:2])  # union.members.> -> union.members
    created = await _create(js, StreamSpec(stream, (f"{prefix}.>",), replicas=replicas))
    return created if created is not None else await js.stream_info(stream)


async def _create(js: JetStreamContext, spec: StreamSpec) -> StreamInfo | None:
    """The new stream, or None when another process created it first."""
    try:
        return await js.add_stream(new_stream_config(spec))
    except BadRequestError as exc:
        if exc.err_code == _NAME_IN_USE:
            return None
        raise _replication_error(f"stream {spec.name}", spec.replicas, exc) from exc
    except ServiceUnavailableError:
        raise  # the cluster electing, or a majority down: `patiently` asks again
    except APIError as exc:
        raise _replication_error(f"stream {spec.name}", spec.replicas, exc) from exc


def _warn_if_fewer(what: str, found: int | None, wanted: int) -> None:
    if found and found < wanted:
        log.warning(
            "%s has %d replica(s), STREAM_REPLICAS asks %d: left as it is, the operator's to "
            "raise (nats stream edit --replicas %d); its consumers follow",
            what, found, wanted, wanted,
        )  # fmt: skip


def _replication_error(what: str, replicas: int, exc: APIError) -> Exception:
    if replicas <= 1:
        return exc
    return ReplicationError(
        f"creating {what} with {replicas} replicas failed: {exc.description or exc} "
        f"(err_code {exc.err_code}). STREAM_REPLICAS={replicas} needs a JetStream cluster "
        f"of at least {replicas} nodes; on a single server, set STREAM_REPLICAS=1."
    )
