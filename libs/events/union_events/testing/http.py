"""A service app running in-process with its lifespan, behind an httpx client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from union_events.apps import create_app
from union_events.service import ServiceDefinition
from union_events.settings import ServiceSettings


@asynccontextmanager
async def service_client(
    definition: ServiceDefinition,
    settings: ServiceSettings,
    extras: dict[str, Any] | None = None,
) -> AsyncIterator[httpx.AsyncClient]:
    """Start the service's runtime (real DB, real NATS) and talk HTTP to it in-process.

    `extras` go into the runtime's extras after start-up (a test clock, say).
    """
    app = create_app(definition, settings)
    async with app.router.lifespan_context(app):
        app.state.runtime.extras.update(extras or {})
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
            yield client
