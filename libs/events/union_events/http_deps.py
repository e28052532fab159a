"""Route dependencies every service uses, as Annotated aliases (`api/deps.py` style)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Header, Request

from .events import EventContext


def _today(request: Request) -> date:
    """Today, or the test clock a test put in the runtime's extras as `today`."""
    clock = request.app.state.runtime.extras.get("today")
    return clock() if clock else date.today()


def _context(x_correlation_id: Annotated[str | None, Header()] = None) -> EventContext:
    """The request's correlation id (header `X-Correlation-Id`, else a new one)."""
    return EventContext(correlation_id=x_correlation_id or str(uuid.uuid4()))


def extra(name: str) -> Callable[[Request], Any]:
    """A dependency giving what the service's `on_start` put in the runtime's extras."""

    def dependency(request: Request) -> Any:
        return request.app.state.runtime.extras[name]

    return dependency


Today = Annotated[date, Depends(_today)]
Context = Annotated[EventContext, Depends(_context)]
