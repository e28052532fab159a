"""使用统一身份认证登录: the redirect to the OpenID provider and its way back."""

from __future__ import annotations

import logging
from typing import Final

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException

from ..web.forms import Problems
from ..web.security import SESSION_COOKIE, cookie_secure
from ..web.templating import render
from .oidc import OidcRefused, OpenIdConnect, PendingLogin

router = APIRouter(prefix="/login/oidc")
log = logging.getLogger(__name__)

PENDING_COOKIE: Final = "console_oidc"
CALLBACK: Final = "/login/oidc/callback"


def _provider(request: Request) -> OpenIdConnect:
    oidc: OpenIdConnect | None = getattr(request.app.state, "oidc", None)
    if oidc is None:
        raise HTTPException(404)
    return oidc


def _redirect_uri(request: Request, oidc: OpenIdConnect) -> str:
    """CONSOLE_OIDC_REDIRECT_URL, else this console's own callback as the browser reached it."""
    return oidc.config.redirect_url or str(request.base_url).rstrip("/") + CALLBACK


def _safe_next(target: str) -> str:
    return target if target.startswith("/") and not target.startswith("//") else "/"


def _refused(request: Request, exc: OidcRefused, next_path: str = "/") -> Response:
    log.warning("OIDC sign-in refused: %s", exc)
    problems = Problems()
    problems.general.append(exc.message)
    context = {"next": _safe_next(next_path), "problems": problems, "username": ""}
    response = render(request, "auth/login.html", context, status_code=403)
    response.delete_cookie(PENDING_COOKIE, path="/login/oidc")
    return response


@router.get("")
async def begin(request: Request, next: str = "/") -> Response:
    """Off to the provider's sign-in, with state, nonce and a PKCE challenge."""
    oidc = _provider(request)
    pending = PendingLogin.new(_safe_next(next))
    try:
        url = await oidc.authorization_url(pending, _redirect_uri(request, oidc))
    except OidcRefused as exc:
        return _refused(request, exc, next)
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(
        PENDING_COOKIE,
        pending.seal(request.app.state.csrf_secret),
        max_age=600,
        httponly=True,
        samesite="lax",  # sent on the provider's top-level redirect back, not on cross-site posts
        secure=cookie_secure(request),
        path="/login/oidc",
    )
    return response


@router.get("/callback", name="oidc_callback")
async def callback(request: Request) -> Response:
    """The provider's answer: check it, start the session, on to the page asked for."""
    oidc = _provider(request)
    params = {k: v for k, v in request.query_params.items()}
    try:
        pending = PendingLogin.open(
            request.cookies.get(PENDING_COOKIE, ""), request.app.state.csrf_secret
        )
    except OidcRefused as exc:
        return _refused(request, exc)
    try:
        identity = await oidc.finish(pending, params, _redirect_uri(request, oidc))
    except OidcRefused as exc:
        return _refused(request, exc, pending.next)
    sessions = request.app.state.sessions
    if request.state.session is not None:
        await sessions.end(request.state.session.id)
    session = await sessions.start(identity)
    log.info("OIDC sign-in: %s (%s, %s)", identity.account_id, identity.role, identity.org)
    response = RedirectResponse(pending.next, status_code=303)
    response.delete_cookie(PENDING_COOKIE, path="/login/oidc")
    response.set_cookie(
        SESSION_COOKIE,
        session.id,
        httponly=True,
        samesite="lax",
        secure=cookie_secure(request),
        path="/",
    )
    return response
