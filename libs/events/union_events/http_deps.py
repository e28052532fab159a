"""Route dependencies every service uses, as Annotated aliases (`api/deps.py` style).

`CurrentPrincipal` is the verified caller of a request (`Authorization: Bearer <JWT>`);
`create_app` requires it on every route of a service's routers (`install_auth`), so only
health, readiness, metrics and the docs answer without a token."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param

from .auth import Principal, Unauthenticated
from .clock import check_period as check_period  # a report's `from` and `to`, checked alike
from .errors import DomainError
from .errors_http import error_body
from .events import EventContext
from .tokens import InvalidToken, TokenExpired
from .uuids import random_uuid
from .verification import KeySource

# Dependencies are `async def` even where they await nothing: FastAPI runs a plain `def`
# dependency in a worker thread, a hop per dependency per request (measured: ~7% of the claims
# service's CPU under load went to those hops).


async def _today(request: Request) -> date:
    """Today in the federation's time zone, or the test clock a test put in the runtime's
    extras as `today`."""
    today: date = request.app.state.runtime.today()
    return today


def extra(name: str) -> Callable[[Request], Awaitable[Any]]:
    """A dependency giving what the service's `on_start` put in the runtime's extras."""

    async def dependency(request: Request) -> Any:
        return request.app.state.runtime.extras[name]

    return dependency


Today = Annotated[date, Depends(_today)]


# Paging of every list endpoint: `page` from 1, bounded so that the offset fits a BIGINT.
PageNo = Annotated[int, Query(ge=1, le=1_000_000, description="page number, from 1")]
PageSize = Annotated[int, Query(ge=1, le=500, description="items per page")]


class _BearerPrincipal(HTTPBearer):
    """The caller named by a valid bearer token; 401 otherwise.

    One dependency, not two: the bearer scheme (which OpenAPI documents as `HTTPBearer`) reads
    the header and verifies the token itself, rather than handing the credentials on to a
    second dependency that verifies them.
    """

    async def __call__(self, request: Request) -> Principal:  # type: ignore[override]
        scheme, token = get_authorization_scheme_param(request.headers.get("authorization"))
        if not (scheme and token) or scheme.lower() != "bearer":
            raise Unauthenticated("a bearer token is required (Authorization: Bearer <token>)")
        keys: KeySource = request.app.state.auth_keys
        try:
            return await keys.verify(token)
        except TokenExpired as exc:
            raise Unauthenticated("the token has expired", code="token_expired") from exc
        except InvalidToken as exc:
            raise Unauthenticated(f"the token is not valid: {exc}", code="invalid_token") from exc


_principal = _BearerPrincipal(
    scheme_name="HTTPBearer", description="an Ed25519 JWT (`unionctl token`)", auto_error=False
)
CurrentPrincipal = Annotated[Principal, Depends(_principal)]


def actor_of(principal: Principal) -> str:
    """The actor an event records for a caller: the token's subject (a staff account id), or
    `service:<subject>` for another system."""
    return f"service:{principal.subject}" if principal.role == "service" else principal.subject


async def _context(
    principal: CurrentPrincipal, x_correlation_id: Annotated[str | None, Header()] = None
) -> EventContext:
    """The request's correlation id (header `X-Correlation-Id`, else a new one) and who acts
    (the verified caller): every event the request appends records both."""
    correlation_id = x_correlation_id or random_uuid()
    return EventContext(correlation_id=correlation_id, actor=actor_of(principal))


Context = Annotated[EventContext, Depends(_context)]
require_principal = Depends(_principal)  # a router-level dependency: every route needs a token


def _holds_nul(value: Any) -> bool:
    stack = [value]
    while stack:  # a loop, not recursion: the body may nest as deep as JSON allows
        item = stack.pop()
        if isinstance(item, str) and "\x00" in item:
            return True
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return False


async def _text_without_nul(request: Request) -> None:
    """No text a service receives carries NUL: PostgreSQL cannot store it (a 500 there), so
    it is bad input, a 422 on every database."""
    parts: list[tuple[str, Any]] = [
        ("path", list(request.path_params.values())),
        ("query", request.query_params.multi_items()),
    ]
    body = await request.body()
    # JSON carries a NUL only escaped (or as a raw byte, which is no JSON at all): the body is
    # decoded here only then, not a second time for every request.
    if b"\\u0000" in body or b"\x00" in body:
        try:
            parts.append(("body", await request.json()))
        except ValueError:  # not JSON: request validation answers for it
            pass
    for where, values in parts:
        if _holds_nul(values):
            message = f"{where}: text may not contain NUL characters (\\u0000)"
            raise DomainError(message, code="invalid_request")


refuse_nul = Depends(_text_without_nul)  # a router-level dependency on every service route


def install_auth(app: FastAPI) -> None:
    """401 answers carry the contract's body and `WWW-Authenticate: Bearer`."""

    @app.exception_handler(Unauthenticated)
    async def _unauthenticated(_: Request, exc: Unauthenticated) -> JSONResponse:
        challenge = "Bearer" if exc.code == "unauthenticated" else 'Bearer error="invalid_token"'
        return JSONResponse(
            error_body(exc.code, exc.message), 401, headers={"WWW-Authenticate": challenge}
        )
