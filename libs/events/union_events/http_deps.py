"""Route dependencies every service uses, as Annotated aliases (`api/deps.py` style).

`CurrentPrincipal` is the verified caller of a request (`Authorization: Bearer <JWT>`);
`create_app` requires it on every route of a service's routers (`install_auth`), so only
health, readiness, metrics and the docs answer without a token."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from .auth import KeySource, Principal, Unauthenticated
from .errors_http import error_body
from .events import EventContext
from .tokens import InvalidToken, TokenExpired

_bearer = HTTPBearer(auto_error=False, description="an Ed25519 JWT (`unionctl token`)")


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


async def _principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller named by a valid bearer token; 401 otherwise."""
    if credentials is None:
        raise Unauthenticated("a bearer token is required (Authorization: Bearer <token>)")
    keys: KeySource = request.app.state.auth_keys
    try:
        return await keys.verify(credentials.credentials)
    except TokenExpired as exc:
        raise Unauthenticated("the token has expired", code="token_expired") from exc
    except InvalidToken as exc:
        raise Unauthenticated(f"the token is not valid: {exc}", code="invalid_token") from exc


CurrentPrincipal = Annotated[Principal, Depends(_principal)]
require_principal = Depends(_principal)  # a router-level dependency: every route needs a token


def install_auth(app: FastAPI) -> None:
    """401 answers carry the contract's body and `WWW-Authenticate: Bearer`."""

    @app.exception_handler(Unauthenticated)
    async def _unauthenticated(_: Request, exc: Unauthenticated) -> JSONResponse:
        challenge = "Bearer" if exc.code == "unauthenticated" else 'Bearer error="invalid_token"'
        return JSONResponse(
            error_body(exc.code, exc.message), 401, headers={"WWW-Authenticate": challenge}
        )
