"""The service app factory: what every service's `bootstrap` hands its parts to.

It builds the runtime (event store, NATS, relay, consumers, projections) in the FastAPI
lifespan, never at import time, and serves `/healthz` (alive) and `/readyz` (DB and NATS).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import nats
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from faststream import FastStream
from faststream.middlewares import AckPolicy
from faststream.nats import JStream, NatsBroker, NatsMessage, PullSub
from faststream.specification import AsyncAPI
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext
from nats.js.api import StreamConfig
from nats.js.errors import NotFoundError
from sqlalchemy import MetaData

from .consumer import ConsumerSpec, InboxConsumer
from .errors_http import install_error_handlers
from .projections import Projection, run_projection
from .relay import Relay, StreamSpec, ensure_stream
from .settings import ServiceSettings
from .store import EventStore
from .telemetry import setup_telemetry

log = logging.getLogger(__name__)


@dataclass
class ServiceDefinition:
    """What makes one service: its name, HTTP routers, consumers, projections, tables."""

    name: str
    title: str = ""
    version: str = "0.1.0"
    routers: Sequence[APIRouter] = ()
    metadata: MetaData | None = None  # the service's own read-model tables
    consumers: Callable[[Runtime], Sequence[ConsumerSpec]] = lambda _rt: ()
    projections: Callable[[Runtime], Sequence[Projection]] = lambda _rt: ()


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

    @property
    def name(self) -> str:
        return self.definition.name


async def connect_nats(settings: ServiceSettings) -> NatsClient:
    """Reconnect for ever: the relay rides out NATS restarts instead of dying."""
    options: dict[str, Any] = {"max_reconnect_attempts": -1, "reconnect_time_wait": 0.5}
    if settings.nats_user:
        options |= {"user": settings.nats_user, "password": settings.nats_password}
    return await nats.connect(settings.nats_url, **options)


async def ensure_source_stream(js: JetStreamContext, stream: str, subject: str) -> None:
    """A consumer may start before the producer made its stream: create it, never alter it."""
    with contextlib.suppress(NotFoundError):
        await js.stream_info(stream)
        return
    prefix = ".".join(subject.split(".")[:2])  # union.members.> -> union.members
    await js.add_stream(StreamConfig(name=stream, subjects=[f"{prefix}.>"]))


async def start_runtime(
    definition: ServiceDefinition, settings: ServiceSettings, broker: NatsBroker | None = None
) -> Runtime:
    """Open the log, connect NATS, ensure streams, start relay, consumers and projections.

    With `broker` given (the FastStream app's), the caller starts and stops it.
    """
    name = definition.name
    store = await EventStore.open(settings.resolved_database_url(name))
    if definition.metadata is not None:
        async with store.engine.begin() as conn:
            await conn.run_sync(definition.metadata.create_all)
    nc = await connect_nats(settings)
    js = nc.jetstream(publish_async_max_pending=4000)
    stream = StreamSpec.for_service(name, settings.duplicate_window_s)
    await ensure_stream(js, stream)
    await ensure_stream(js, StreamSpec(f"DLQ_{name.upper()}", (f"union.dlq.{name}.>",)))
    relay = Relay(store, js, source=f"/union/{name}", stream=stream,
                  batch_size=settings.relay_batch_size)  # fmt: skip
    own_broker = broker is None
    broker = broker or NatsBroker(settings.nats_url, max_reconnect_attempts=-1)
    runtime = Runtime(definition, settings, store, nc, js, broker, relay, own_broker=own_broker)
    for spec in definition.consumers(runtime):
        await ensure_source_stream(js, spec.stream, spec.subject)
        consumer = InboxConsumer(spec, store.engine, js, name, store.notify_appended)
        subscribe(broker, consumer)
        runtime.consumers.append(consumer)
    if own_broker:
        await broker.start()
    runtime.tasks.append(asyncio.create_task(relay.run(runtime.stop)))
    for projection in definition.projections(runtime):
        runtime.tasks.append(asyncio.create_task(run_projection(store, projection, runtime.stop)))
    return runtime


def subscribe(broker: NatsBroker, consumer: InboxConsumer) -> None:
    """Register `consumer` as a FastStream durable pull subscriber with manual acks."""
    spec = consumer.spec

    @broker.subscriber(
        spec.subject,
        stream=JStream(name=spec.stream, declare=False),
        durable=spec.name,
        pull_sub=PullSub(batch_size=64, timeout=1.0),
        ack_policy=AckPolicy.MANUAL,
        title=spec.name,
    )
    async def on_message(msg: NatsMessage) -> None:
        await consumer.handle(msg.raw_message)


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


def create_app(definition: ServiceDefinition, settings: ServiceSettings | None = None) -> FastAPI:
    """The service's FastAPI app; its lifespan starts and stops the runtime."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        resolved = settings or ServiceSettings()
        logging.basicConfig(level=resolved.log_level)
        setup_telemetry(resolved.service_name or definition.name)
        app.state.runtime = await start_runtime(definition, resolved)
        try:
            yield
        finally:
            await stop_runtime(app.state.runtime)

    app = FastAPI(title=definition.title or definition.name, version=definition.version,
                  lifespan=lifespan)  # fmt: skip
    install_error_handlers(app)
    app.include_router(health_router())
    for router in definition.routers:
        app.include_router(router)
    return app


def create_stream_app(
    definition: ServiceDefinition, settings: ServiceSettings | None = None
) -> FastStream:
    """The service without HTTP, as a FastStream app (`faststream run pkg.main:stream_app
    --factory`): relay, consumers and projections; its broker documents the AsyncAPI."""
    resolved = settings or ServiceSettings()
    broker = NatsBroker(resolved.nats_url, max_reconnect_attempts=-1)
    spec = AsyncAPI(title=f"{definition.title or definition.name} events",
                    version=definition.version)  # fmt: skip
    app = FastStream(broker, specification=spec)
    runtimes: list[Runtime] = []

    @app.on_startup
    async def _start() -> None:
        setup_telemetry(resolved.service_name or definition.name)
        runtimes.append(await start_runtime(definition, resolved, broker=broker))

    @app.on_shutdown
    async def _stop() -> None:
        for runtime in runtimes:
            await stop_runtime(runtime)

    return app


def health_router() -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok"}

    @router.get("/readyz")
    async def readyz(request: Request) -> JSONResponse:
        """Readiness: the database answers and NATS is connected."""
        runtime: Runtime = request.app.state.runtime
        checks: dict[str, str] = {}
        try:
            await asyncio.wait_for(runtime.store.ping(), 2.0)
            checks["database"] = "ok"
        except Exception as exc:
            checks["database"] = f"error: {type(exc).__name__}"
        checks["nats"] = "ok" if runtime.nc.is_connected else "disconnected"
        checks["relay_lag"] = str(await runtime.relay.lag())
        ready = checks["database"] == "ok" and checks["nats"] == "ok"
        body = {"status": "ready" if ready else "not_ready", "checks": checks}
        return JSONResponse(body, status_code=200 if ready else 503)

    return router
