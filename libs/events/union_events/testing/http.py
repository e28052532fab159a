"""A service app running in-process with its lifespan, behind an httpx client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from union_events.apps import create_app
from union_events.auth import Principal
from union_events.service import ServiceDefinition
from union_events.settings import ServiceSettings
from union_events.testing.conformance import AnswerChecker
from union_events.testing.tokens import CITY_ADMIN, token_for


@asynccontextmanager
async def service_client(
    definition: ServiceDefinition,
    settings: ServiceSettings,
    extras: dict[str, Any] | None = None,
    *,
    principal: Principal | None = CITY_ADMIN,
    token: str | None = None,
) -> AsyncIterator[httpx.AsyncClient]:
    """Start the service's runtime (real DB, real NATS) and talk HTTP to it in-process.

    `extras` go into the runtime's extras after start-up (a test clock, say). Requests carry
    a bearer token: `token` when given, else one for `principal` (by default a city admin of
    zhoushan) signed with the embedded default's key in the settings' data dir; with
    `principal=None` and no `token`, none. A request's own `Authorization` header wins.
    Every JSON answer is checked against the service's OpenAPI document (`AnswerChecker`).
    """
    if token is None and principal is not None:
        token = token_for(settings.union_data_dir, principal)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    app = create_app(definition, settings)
    async with app.router.lifespan_context(app):
        app.state.runtime.extras.update(extras or {})
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport,
            base_url="http://service",
            headers=headers,
            event_hooks={"response": [AnswerChecker(app)]},
        ) as client:
            yield client
