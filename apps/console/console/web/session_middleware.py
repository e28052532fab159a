"""Find the request's session (and whether one timed out) before any page runs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request, Response

from ..auth.identity import IdentityProvider
from ..auth.sessions import SessionStore
from .security import SESSION_COOKIE


async def session_middleware(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    request.state.session = None
    request.state.session_expired = ""  # "idle": timed out; "ended": disabled or reset since
    if not request.url.path.startswith("/static/"):
        sessions: SessionStore = request.app.state.sessions
        provider: IdentityProvider = request.app.state.identity_provider
        session, timed_out = await sessions.find(request.cookies.get(SESSION_COOKIE, ""))
        expired = "idle" if timed_out else ""
        if session is not None:
            identity = await provider.still_valid(session.identity, session.created_at)
            if identity is None:  # disabled or reset since: the session is over
                await sessions.end(session.id)
                session, expired = None, "ended"
            else:
                await sessions.replace_identity(session, identity)
        request.state.session = session
        request.state.session_expired = expired
    return await call_next(request)
