"""The service app factory: what every service's `bootstrap` hands its parts to.

`create_app` gives the FastAPI app (HTTP + the runtime in its lifespan, never built at import
time), `create_stream_app` the FastStream app (the runtime without HTTP; its broker carries
the AsyncAPI document). Both serve the same runtime from `service.py`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any, Literal

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from fastapi.routing import APIRoute
from faststream import FastStream
from faststream.specification import AsyncAPI
from pydantic import Field

from .answers import Answer
from .asyncapi_http import asyncapi_router
from .body_limit import BodyLimits, BodyTooLarge
from .edge import ServiceEdge
from .errors_http import COMMAND_RESPONSES, ERROR_RESPONSES, error_body, install_error_handlers
from .http_deps import install_auth, refuse_nul, require_principal
from .logs import configure_logging
from .metrics import ServiceMetrics
from .service import (
    Runtime,
    ServiceDefinition,
    build_broker,
    runs_worker,
    start_runtime,
    stop_runtime,
)
from .settings import ServiceSettings
from .telemetry import setup_telemetry
from .verification import KeySource


def create_app(definition: ServiceDefinition, settings: ServiceSettings | None = None) -> FastAPI:
    """The service's FastAPI app; its lifespan starts and stops the runtime."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        resolved = settings or ServiceSettings()
        service = resolved.service_name or definition.name
        configure_logging(resolved.log_level, resolved.log_format, service)
        setup_telemetry(service)
        app.state.body_limits = BodyLimits(
            resolved.max_body_bytes, definition.body_limits() if definition.body_limits else {}
        )
        app.state.auth_keys = await KeySource.from_settings(resolved)
        app.state.runtime = await start_runtime(definition, resolved)
        try:
            yield
        finally:
            await stop_runtime(app.state.runtime)

    app = FastAPI(
        title=definition.title or definition.name,
        version=definition.version,
        lifespan=lifespan,
        telemetry=NO_NATIVE_TELEMETRY,  # the edge layer traces (`instrument_http`)
    )
    install_error_handlers(app)
    instrument_http(app, definition.name)
    install_auth(app)
    app.include_router(health_router())
    app.include_router(asyncapi_router(definition))  # the events contract, like /openapi.json
    for router in definition.routers:  # every service route needs a bearer token
        reads, commands = _reads_and_commands(router)
        for part, responses in ((reads, ERROR_RESPONSES), (commands, COMMAND_RESPONSES)):
            app.include_router(
                part,
                dependencies=[require_principal, refuse_nul],
                responses={**ERROR_RESPONSES, **responses},
            )
    return app


def _reads_and_commands(router: APIRouter) -> tuple[APIRouter, APIRouter]:
    """The router's routes in two: reads (GET) and commands (any other method), whose OpenAPI
    also declares 503 `log_behind_stream`. (Paths, tags and dependencies are the routes' own
    already; a request finds its route by method across both, as within one router.)"""
    reads, commands = APIRouter(), APIRouter()
    for route in router.routes:
        command = isinstance(route, APIRoute) and bool((route.methods or set()) - {"GET", "HEAD"})
        (commands if command else reads).routes.append(route)
    return reads, commands


def create_stream_app(
    definition: ServiceDefinition, settings: ServiceSettings | None = None
) -> FastStream:
    """The service without HTTP, as a FastStream app (`faststream run pkg.main:stream_app
    --factory`): relay, consumers and projections. (FastStream's own AsyncAPI of its broker
    shows bare payloads; the wire's contract is `asyncapi.document`, served by `create_app`.)"""
    resolved = settings or ServiceSettings()
    broker, consumers = build_broker(definition, resolved)
    spec = AsyncAPI(
        title=f"{definition.title or definition.name} events", version=definition.version
    )
    app = FastStream(broker, specification=spec)
    runtimes: list[Runtime] = []

    @app.on_startup
    async def _start() -> None:
        service = resolved.service_name or definition.name
        configure_logging(resolved.log_level, resolved.log_format, service)
        setup_telemetry(service)
        runtimes.append(await start_runtime(definition, resolved, (broker, consumers)))

    @app.on_shutdown
    async def _stop() -> None:
        for runtime in runtimes:
            await stop_runtime(runtime)

    return app


async def consumer_lag(runtime: Runtime) -> dict[str, int | str]:
    """Messages each durable consumer has not yet acknowledged (JetStream's view)."""
    lag: dict[str, int | str] = {}
    for consumer in runtime.consumers:
        spec = consumer.spec
        try:
            info = await asyncio.wait_for(runtime.js.consumer_info(spec.stream, spec.name), 2.0)
            lag[spec.name] = int(info.num_pending or 0) + int(info.num_ack_pending or 0)
        except Exception as exc:
            lag[spec.name] = f"unknown: {type(exc).__name__}"
    return lag


async def stream_replicas(runtime: Runtime) -> str:
    """The service's stream as JetStream sees it: "CLAIMS R3, 3/3 current" (the leader and
    the followers that are up to date), "CLAIMS R3, 2/3 current" with a node down."""
    name = runtime.relay.stream.name
    try:
        info = await asyncio.wait_for(runtime.js.stream_info(name), 2.0)
    except Exception as exc:
        return f"{name} unknown: {type(exc).__name__}"
    replicas = info.config.num_replicas or 1
    if info.cluster is None or replicas == 1:  # one server, or R1 on a cluster
        return f"{name} R{replicas}"
    followers = info.cluster.replicas or []
    current = (1 if info.cluster.leader else 0) + sum(
        1 for p in followers if p.current and not p.offline
    )
    leader = "" if info.cluster.leader else ", no leader"
    return f"{name} R{replicas}, {current}/{replicas} current{leader}"


def refuse_body(_: Any, exc: BodyTooLarge) -> JSONResponse:
    """413 with the contract's error body, the body unread."""
    return JSONResponse(error_body("body_too_large", exc.detail, limit=exc.limit), 413)


# FastAPI's own OpenTelemetry layer would trace each request a second time.
NO_NATIVE_TELEMETRY: Any = {"tracing": False, "metrics": False, "logs": False}


def instrument_http(app: FastAPI, service: str) -> None:
    """Server spans (continuing a caller's `traceparent`), metrics, correlation ids and body
    limits, in one ASGI layer (`edge.ServiceEdge`)."""
    app.state.metrics = ServiceMetrics()
    app.add_middleware(ServiceEdge, service=service, metrics=app.state.metrics, refusal=refuse_body)


class Alive(Answer):
    status: Literal["ok"]


class Readiness(Answer):
    status: Literal["ready", "not_ready"]
    checks: dict[str, str | dict[str, int | str]] = Field(
        description="database, nats, relay_lag, relay (active / standby), log (ok / "
        "behind_stream), stream (its replicas, when connected); consumer_lag (per durable "
        "consumer) when ready and the service consumes"
    )
    reason: str | None = Field(
        default=None, description="why the log is behind its stream, when it is (not ready)"
    )


def health_router() -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/healthz")
    async def healthz() -> Alive:
        """Liveness: the process answers."""
        return Alive(status="ok")

    @router.get(
        "/readyz",
        response_model=Readiness,
        responses={503: {"model": Readiness, "description": "Not ready"}},
    )
    async def readyz(request: Request) -> JSONResponse:
        """Readiness: the database answers, NATS is connected, the log is not behind its
        stream; also the relay's role and lag, and each consumer's lag."""
        runtime: Runtime = request.app.state.runtime
        checks: dict[str, Any] = {}
        try:
            await asyncio.wait_for(runtime.store.ping(), 2.0)
            checks["database"] = "ok"
        except Exception as exc:
            checks["database"] = f"error: {type(exc).__name__}"
        checks["nats"] = "ok" if runtime.nc.is_connected else "disconnected"
        checks["relay_lag"] = str(await runtime.relay.lag())
        # active (holds the lease), standby, stopped; `worker` in an API-only process
        checks["relay"] = runtime.relay.role if runs_worker(runtime.settings) else "worker"
        refusal = runtime.store.refusal  # the log behind its stream: see `log_guard`
        checks["log"] = "ok" if refusal is None else "behind_stream"
        connected = checks["database"] == "ok" and checks["nats"] == "ok"
        if connected:
            checks["stream"] = await stream_replicas(runtime)
        ready = connected and refusal is None
        if ready and runtime.consumers and runs_worker(runtime.settings):
            checks["consumer_lag"] = await consumer_lag(runtime)
        body: dict[str, Any] = {"status": "ready" if ready else "not_ready", "checks": checks}
        if refusal is not None:
            body["reason"] = refusal
        return JSONResponse(body, status_code=200 if ready else 503)

    @router.get(
        "/metrics",
        response_class=PlainTextResponse,
        responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}},
    )
    async def metrics(request: Request) -> PlainTextResponse:
        """Prometheus metrics in the text format."""
        service_metrics: ServiceMetrics = request.app.state.metrics
        body, content_type = await service_metrics.exposition(
            getattr(request.app.state, "runtime", None)
        )
        return PlainTextResponse(body, media_type=content_type)

    return router
