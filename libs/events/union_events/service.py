"""A service's runtime: its definition, and what starts and stops it (store, NATS, relay,
consumers, projections). The apps that host it are in `apps.py`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import nats
from fastapi import APIRouter
from faststream.middlewares import AckPolicy
from faststream.nats import JStream, NatsBroker, NatsMessage, NatsUserPassword, PullSub
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext
from sqlalchemy import MetaData

from .clock import today as union_today
from .consumer import ConsumerSpec, InboxConsumer
from .contracts import EventPayload
from .embedded.nats_auth import appends_subject, inbox_prefix
from .errors import LogBehindStream
from .heap import trim_freed
from .lease import lease_for
from .log_guard import check_log
from .projections import Projection, create_read_models, run_projections
from .provisioning import StreamSpec, ensure_source_stream, ensure_stream, patiently
from .relay import PublicView, Relay
from .settings import ServiceSettings
from .store import EventStore

log = logging.getLogger(__name__)


@dataclass
class ServiceDefinition:
    """What makes one service: its name, HTTP routers, consumers, projections, tables."""

    name: str
    title: str = ""
    version: str = "0.1.0"
    routers: Sequence[APIRouter] = ()
    metadata: MetaData | None = None  # the service's own read-model tables
    consumers: Sequence[ConsumerSpec] = ()  # other services' events it handles
    projections: Sequence[Projection] = ()  # read models of its own log
    publishes: Sequence[type[EventPayload]] = ()  # its public events, for the AsyncAPI docs
    public_view: PublicView | None = None  # logged event -> what is published (None: all)
    on_start: Callable[[Runtime], Awaitable[None]] | None = None  # wire service-own adapters
    # Routes (path patterns) with a body limit of their own, read at start-up from the
    # service's settings: {pattern: bytes}. Every other route has MAX_BODY_BYTES.
    body_limits: Callable[[], Mapping[str, int]] | None = None


@dataclass
class Runtime:
    definition: ServiceDefinition
    settings: ServiceSettings
    store: EventStore
    nc: NatsClient
    js: JetStreamContext
    broker: NatsBroker
    relay: Relay
    own_broker: bool = True
    consumers: list[InboxConsumer] = field(default_factory=list)
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)  # what `on_start` built

    @property
    def name(self) -> str:
        return self.definition.name

    def today(self) -> date:
        """Today in the federation's time zone (UNION_TIMEZONE), or the test clock a test put
        in `extras["today"]`. Handlers and consumers take this, never `date.today()`."""
        clock = self.extras.get("today")
        return clock() if clock else union_today(self.settings.union_timezone)


async def connect_nats(settings: ServiceSettings, service: str = "") -> NatsClient:
    """Reconnect for ever: the relay rides out NATS restarts instead of dying."""
    options: dict[str, Any] = {"max_reconnect_attempts": -1, "reconnect_time_wait": 0.5}
    return await nats.connect(
        servers=settings.nats_servers(), **options, **nats_auth_options(settings, service)
    )


def nats_auth_options(settings: ServiceSettings, service: str) -> dict[str, Any]:
    """NATS_USER / NATS_PASSWORD, and replies on the service's own inbox subjects (its NATS
    user may subscribe to `_INBOX.<service>.>` only: see embedded/nats_auth.py)."""
    options: dict[str, Any] = {"inbox_prefix": inbox_prefix(service)} if service else {}
    if settings.nats_user:
        options |= {"user": settings.nats_user, "password": settings.nats_password}
    return options


def build_broker(
    definition: ServiceDefinition, settings: ServiceSettings
) -> tuple[NatsBroker, dict[str, InboxConsumer]]:
    """The FastStream broker with the service's subscribers and (documented) publishers.

    Subscribers are declared here, before any connection, so the AsyncAPI document lists
    them; the consumers they hand messages to are put in the returned dict at start-up.
    """
    # FastStream logs every message received and processed: at DEBUG, not at INFO.
    broker = NatsBroker(
        settings.nats_servers(),
        max_reconnect_attempts=-1,
        log_level=logging.DEBUG,
        inbox_prefix=inbox_prefix(definition.name),
        security=(
            NatsUserPassword(settings.nats_user, settings.nats_password)
            if settings.nats_user
            else None
        ),
    )
    consumers: dict[str, InboxConsumer] = {}
    for spec in definition.consumers:
        _subscribe(broker, spec, consumers, definition.name)
    for payload in definition.publishes:
        broker.publisher(
            payload.event_type(),
            title=payload.event_type(),
            description=(payload.__doc__ or "").strip(),
            schema=payload,
        )
    return broker, consumers


def _subscribe(
    broker: NatsBroker, spec: ConsumerSpec, consumers: dict[str, InboxConsumer], service: str = ""
) -> None:
    """A FastStream durable pull subscriber with manual acks, for the consumer named spec.name.

    The durable consumer is created when missing, never altered, and given no replica count:
    it has as many as its stream (STREAM_REPLICAS, see provisioning.py) and follows it."""
    inbox = f"{inbox_prefix(service)}." if service else "_INBOX."

    @broker.subscriber(
        spec.subject,
        stream=JStream(name=spec.stream, declare=False),
        durable=spec.name,
        pull_sub=PullSub(batch_size=64, timeout=1.0),
        inbox_prefix=inbox.encode(),  # pulled messages arrive on the service's own inboxes
        ack_policy=AckPolicy.MANUAL,
        title=spec.name,
        description=(spec.handler.__doc__ or "").strip(),
        decoder=_raw_body,  # the consumer decodes: a body FastStream cannot parse is poison
    )
    async def on_message(msg: NatsMessage) -> None:
        await consumers[spec.name].handle(msg.raw_message)


async def _raw_body(msg: Any) -> Any:
    return msg.body


async def start_runtime(
    definition: ServiceDefinition,
    settings: ServiceSettings,
    broker: tuple[NatsBroker, dict[str, InboxConsumer]] | None = None,
) -> Runtime:
    """Open the log, connect NATS, ensure streams, start relay, consumers and projections.

    With `broker` given (the FastStream app's, from `build_broker`), its owner starts it.
    """
    name = definition.name
    url = settings.resolved_database_url(name)
    store = await EventStore.open(url, pool_size=settings.database_pool_size)
    if definition.metadata is not None:
        await create_read_models(store.engine, definition.metadata, definition.projections)
    nc = await connect_nats(settings, name)
    js = nc.jetstream(publish_async_max_pending=4000)
    replicas = settings.stream_replicas
    stream = StreamSpec.for_service(name, settings.duplicate_window_s, replicas)
    wait_s = settings.jetstream_wait_s  # a cluster still electing, or a majority down
    dead_letters = StreamSpec.dead_letters(name, replicas)
    await patiently(lambda: ensure_stream(js, stream), f"stream {stream.name}", wait_s)
    await patiently(lambda: ensure_stream(js, dead_letters), f"stream {dead_letters.name}", wait_s)
    relay = Relay(
        store,
        js,
        source=f"/union/{name}",
        stream=stream,
        batch_size=settings.relay_batch_size,
        public_view=definition.public_view,
        lease=lease_for(settings.resolved_database_url(name), name),
        lease_poll_s=settings.relay_lease_poll_s,
        idle_poll_s=_idle_poll_s(settings),
    )
    await _link_api_and_worker(settings, store, nc, name)
    own_broker = broker is None
    nats_broker, slots = broker or build_broker(definition, settings)
    runtime = Runtime(definition, settings, store, nc, js, nats_broker, relay, own_broker)
    runtime.tasks.append(asyncio.create_task(trim_freed(runtime.stop)))  # every role
    for spec in definition.consumers:
        await patiently(
            lambda s=spec: ensure_source_stream(js, s.stream, s.subject, replicas),
            f"stream {spec.stream}",
            wait_s,
        )
        consumer = InboxConsumer(spec, store.engine, js, name, store.notify_appended)
        slots[spec.name] = consumer
        runtime.consumers.append(consumer)
    if definition.on_start is not None:
        await definition.on_start(runtime)
    store.refusal = await patiently(
        lambda: check_log(store, js, stream.name), f"the log against {stream.name}", wait_s
    )
    if store.refusal is None:
        await _set_going(runtime)
    elif own_broker:  # not ready, appending nothing, until an operator decides
        log.error("%s: %s", name, store.refusal)
        runtime.tasks.append(asyncio.create_task(_wait_for_decision(runtime)))
    else:  # a FastStream app has no /readyz to say so, and starts its broker itself: stop
        problem = store.refusal
        await stop_runtime(runtime)
        raise LogBehindStream(problem)
    return runtime


def _idle_poll_s(settings: ServiceSettings) -> float:
    """A worker's relay and projections are woken by its API process's word of an append
    (`appends_subject`) and look every WORKER_POLL_S besides, in case a word was lost; in one
    process an append wakes them and they look twice a second."""
    return settings.worker_poll_s if settings.service_role == "worker" else 0.5


async def _link_api_and_worker(
    settings: ServiceSettings, store: EventStore, nc: NatsClient, service: str
) -> None:
    """An API process tells its worker of each commit, so the relay and the projections look
    at once instead of at their next WORKER_POLL_S. The word is a hint: one lost (NATS away)
    only means the worker looks at its next poll, as before."""
    subject = appends_subject(service)
    if settings.service_role == "api":
        store.announce = _Announcer(nc, subject)
    elif settings.service_role == "worker":

        async def heard(_msg: Any) -> None:
            store.notify_appended()

        await nc.subscribe(subject, cb=heard)


class _Announcer:
    """Says "appended" once per turn of the event loop, however many commits it saw."""

    def __init__(self, nc: NatsClient, subject: str) -> None:
        self.nc, self.subject, self.due = nc, subject, False
        self.sending: set[asyncio.Task[None]] = set()  # held until done (the loop holds weakly)

    def __call__(self) -> None:
        if not self.due:  # the task runs once this turn of the loop is over
            self.due = True
            task = asyncio.get_running_loop().create_task(self._send())
            self.sending.add(task)
            task.add_done_callback(self.sending.discard)

    async def _send(self) -> None:
        self.due = False
        if self.nc.is_connected:
            with contextlib.suppress(Exception):  # a hint: the worker polls anyway
                await self.nc.publish(self.subject, b"")


def runs_worker(settings: ServiceSettings) -> bool:
    """Whether this process runs the relay, the consumers and the projections (SERVICE_ROLE)."""
    return settings.service_role != "api"


async def _set_going(runtime: Runtime) -> None:
    """What moves: consumers (the broker), the relay, the projections — in the worker
    process, or in the one process of `SERVICE_ROLE=all`; an `api` process moves nothing."""
    if not runs_worker(runtime.settings):
        return
    if runtime.own_broker:
        await runtime.broker.start()
    runtime.tasks.append(asyncio.create_task(runtime.relay.run(runtime.stop)))
    poll = _idle_poll_s(runtime.settings)
    projections = runtime.definition.projections
    for runner in run_projections(runtime.store, projections, runtime.stop, idle_poll_s=poll):
        runtime.tasks.append(asyncio.create_task(runner))


LOG_RECHECK_S = 2.0


async def _wait_for_decision(runtime: Runtime) -> None:
    """Check the log against the stream again until the problem is gone (the loss accepted
    with `unionctl accept-loss`, or the events brought back), then set the service going."""
    stream = runtime.relay.stream.name
    while not runtime.stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(runtime.stop.wait(), LOG_RECHECK_S)
        if runtime.stop.is_set():
            return
        try:
            problem = await check_log(runtime.store, runtime.js, stream)
        except Exception as exc:  # NATS or the database away: try again
            log.warning("%s: checking the log against %s: %s", runtime.name, stream, exc)
            continue
        if problem is None:
            runtime.store.refusal = None
            log.warning("%s: the log is no longer behind %s; starting", runtime.name, stream)
            await _set_going(runtime)
            return
        runtime.store.refusal = problem


async def stop_runtime(runtime: Runtime) -> None:
    """Stop everything, each step even if an earlier one failed (NATS may be down)."""
    runtime.stop.set()
    steps: list[tuple[str, Callable[[], Awaitable[Any]]]] = [
        ("tasks", lambda: asyncio.gather(*runtime.tasks, return_exceptions=True)),
        ("nats", runtime.nc.drain if runtime.nc.is_connected else runtime.nc.close),
        ("store", runtime.store.close),
    ]
    if runtime.own_broker:
        steps.insert(0, ("broker", runtime.broker.stop))
    for name, step in steps:
        try:
            await asyncio.wait_for(step(), 10.0)
        except Exception as exc:
            log.warning("%s: stopping %s failed: %s", runtime.name, name, exc)


def subscribe(broker: NatsBroker, consumer: InboxConsumer) -> None:
    """Register an already built consumer on `broker` (for tests and tools)."""
    _subscribe(broker, consumer.spec, {consumer.spec.name: consumer}, consumer.service)
