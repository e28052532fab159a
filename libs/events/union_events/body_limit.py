"""Request bodies over a limit are refused with 413 before they are read into memory.

A pure ASGI middleware: a declared `Content-Length` over the limit is answered at once, the
body unread; a body without one (chunked) is counted as the app reads it, and the read that
crosses the limit raises `BodyTooLarge`. That is an HTTP exception: the app's own handler
answers it (the services' error body, the console's Chinese page); if it escapes the app,
the middleware answers it itself. Each route may have its own limit (members' bulk sign-up).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DEFAULT_MAX_BODY_BYTES = 1024 * 1024  # 1 MiB


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than the {size(limit)} allowed")
        self.limit = limit


def size(limit: int) -> str:
    """1048576 -> '1 MiB', in words a person reads."""
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if limit >= factor and limit % factor == 0:
            return f"{limit // factor} {unit}"
    return f"{limit} bytes"


class BodyLimits:
    """The default limit and the routes (path patterns, matched whole) that have their own."""

    def __init__(
        self, default: int = DEFAULT_MAX_BODY_BYTES, routes: Mapping[str, int] | None = None
    ) -> None:
        routes = dict(routes or {})
        if default < 0 or any(limit < 0 for limit in routes.values()):
            raise ValueError("a body limit is a number of bytes, 0 or more")
        self.default = default
        self._routes = [(re.compile(pattern), limit) for pattern, limit in routes.items()]

    def for_path(self, path: str) -> int:
        for pattern, limit in self._routes:
            if pattern.fullmatch(path):
                return limit
        return self.default


# The answer to a body over the limit (the app's own error body or page), as an ASGI app.
Refusal = Callable[[Scope, BodyTooLarge], Response]


class BodyLimitMiddleware:
    """Given no `limits`, it reads the app's `state.body_limits` (set by its lifespan from
    settings), else the default."""

    def __init__(self, app: ASGIApp, *, refusal: Refusal, limits: BodyLimits | None = None) -> None:
        self.app = app
        self.refusal = refusal
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = limit_for(scope, self.limits)
        await run_limited(
            self.app, self.refusal, scope, receive, send, limit, _content_length(scope), True
        )


_DEFAULT_LIMITS = BodyLimits()


def limit_for(scope: Scope, limits: BodyLimits | None) -> int:
    """The request's limit: from `limits`, else the app's `state.body_limits`, else the
    default."""
    if limits is None:
        state = getattr(scope.get("app"), "state", None)
        limits = getattr(state, "body_limits", None) or _DEFAULT_LIMITS
    return limits.for_path(scope.get("path", ""))


def counting(receive: Receive, limit: int) -> Receive:
    """`receive`, raising `BodyTooLarge` on the read that crosses the limit."""
    received = 0

    async def counted() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLarge(limit)
        return message

    return counted


async def run_limited(
    app: ASGIApp,
    refusal: Refusal,
    scope: Scope,
    receive: Receive,
    send: Send,
    limit: int,
    declared: int | None,
    count: bool,
) -> None:
    """Run `app` under the body limit (both the console's middleware and the services' edge
    do): a declared length over it is refused unread; with `count`, what is read is counted;
    a refusal raised before the answer started is answered by `refusal`."""
    if declared is not None and declared > limit:
        await refusal(scope, BodyTooLarge(limit))(scope, receive, send)
        return
    started = False

    async def tracked(message: Message) -> None:
        nonlocal started
        started = started or message["type"] == "http.response.start"
        await send(message)

    try:
        await app(scope, counting(receive, limit) if count else receive, tracked)
    except Exception as exc:
        refused = refusal_in(exc)
        if refused is None or started:
            raise
        await refusal(scope, refused)(scope, receive, send)


def refusal_in(exc: BaseException) -> BodyTooLarge | None:
    """The refusal, raised as it is or inside a task group's exception group."""
    if isinstance(exc, BodyTooLarge):
        return exc
    for inner in exc.exceptions if isinstance(exc, BaseExceptionGroup) else ():
        found = refusal_in(inner)
        if found is not None:
            return found
    return None


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the server refuses a malformed one before we see it
    return None
