"""Browser-facing protections: security headers on every answer, CSRF on every unsafe request.

CSRF: a random nonce in an HttpOnly cookie; a page's forms (and htmx, from a meta tag via
`static/console.js`) send back an HMAC of that nonce and the session id, checked here for
every POST/PUT/PATCH/DELETE. A cross-site page can neither read the cookie nor compute it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable
from typing import Final

from fastapi import Request, Response

CSRF_COOKIE: Final = "console_csrf"
SESSION_COOKIE: Final = "console_session"
CSRF_FIELD: Final = "csrf_token"
CSRF_HEADER: Final = "x-csrf-token"
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})

CONTENT_SECURITY_POLICY: Final = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS: Final = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


class CsrfRefused(Exception):
    """An unsafe request without the page's CSRF token."""


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def cookie_secure(request: Request) -> bool:
    configured: bool | None = request.app.state.settings.cookie_secure
    return is_https(request) if configured is None else configured


def csrf_token(request: Request) -> str:
    """The token this page's forms carry: bound to the browser's nonce and its session."""
    nonce = request.state.csrf_nonce
    session_id = request.cookies.get(SESSION_COOKIE, "")
    if getattr(request.state, "new_session_id", None) is not None:
        session_id = request.state.new_session_id
    secret: bytes = request.app.state.csrf_secret
    return hmac.new(secret, f"{nonce}|{session_id}".encode(), hashlib.sha256).hexdigest()


async def csrf_guard(request: Request) -> None:
    """App-wide dependency: refuse an unsafe request whose token does not match."""
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else ""
    if not request.cookies.get(CSRF_COOKIE) or not hmac.compare_digest(sent, csrf_token(request)):
        raise CsrfRefused()


async def security_middleware(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    nonce = request.cookies.get(CSRF_COOKIE, "")
    fresh = not nonce
    request.state.csrf_nonce = nonce or secrets.token_urlsafe(24)
    response = await call_next(request)
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if not request.url.path.startswith("/static/"):
        response.headers.setdefault("Cache-Control", "no-store")
    if is_https(request) or request.app.state.settings.cookie_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if fresh:
        response.set_cookie(
            CSRF_COOKIE,
            request.state.csrf_nonce,
            httponly=True,
            samesite="lax",
            secure=cookie_secure(request),
            path="/",
        )
    return response
