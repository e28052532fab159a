"""The console's composition root: the only place that wires its parts."""

from __future__ import annotations

import base64
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import httpx
from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from union_events.body_limit import BodyLimitMiddleware, BodyLimits
from union_events.store import EventStore
from union_events.tokens import ensure_keypair

from .accounts import routes as account_routes
from .accounts.domain import Lockout
from .accounts.service import Accounts, utc_now
from .auth import oidc_routes
from .auth import routes as auth_routes
from .auth.identity import LocalAccounts
from .auth.oidc import OidcConfig, OpenIdConnect, SignInProviders
from .auth.platform_tokens import PlatformTokens
from .auth.sessions import SessionStore
from .claims import routes as claims_routes
from .clients.org_names import OrgNames
from .clients.shared_reads import SharedReads
from .home import routes as home_routes
from .members import routes as members_routes
from .outreach import routes as outreach_routes
from .relief import routes as relief_routes
from .reports import routes as report_routes
from .settings import ConsoleSettings
from .web.errors import install_error_pages, refuse_body
from .web.security import csrf_guard, security_middleware
from .web.session_middleware import session_middleware
from .web.templating import build_templates

STATIC = Path(__file__).resolve().parent / "static"


async def open_accounts(settings: ConsoleSettings) -> Accounts:
    """The accounts on the console's own event store (also what `unionctl admin` opens)."""
    store = await EventStore.open(settings.resolved_database_url())
    lockout = Lockout(settings.lockout_failures, settings.lockout_minutes)
    return Accounts(store, lockout=lockout, clock=utc_now)


def _csrf_secret(settings: ConsoleSettings) -> bytes:
    if settings.secret:
        return base64.b64decode(settings.secret)
    path = settings.data_dir.absolute() / "keys" / "console.secret"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.touch(0o600)
        path.write_text(base64.b64encode(secrets.token_bytes(32)).decode())
    return base64.b64decode(path.read_text().strip())


def _signing_key(settings: ConsoleSettings) -> bytes:
    if settings.signing_key_file:
        return settings.signing_key_file.read_bytes()
    private, _ = ensure_keypair(settings.data_dir.absolute())
    return private.read_bytes()


def create_app(settings: ConsoleSettings | None = None) -> FastAPI:
    settings = settings or ConsoleSettings()
    oidc_config = OidcConfig.from_settings(settings)  # None: local accounts only

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        accounts = await open_accounts(settings)
        sessions = SessionStore(
            accounts.store, timedelta(minutes=settings.session_idle_minutes), utc_now
        )
        await sessions.create_schema()
        await accounts.directory.catch_up()
        app.state.store = accounts.store
        app.state.accounts = accounts
        app.state.sessions = sessions
        app.state.identity_provider = LocalAccounts(accounts)
        app.state.csrf_secret = _csrf_secret(settings)
        app.state.platform_tokens = PlatformTokens(
            _signing_key(settings),
            ttl_seconds=settings.token_ttl_seconds,
            issuer=settings.token_issuer,
        )
        async with httpx.AsyncClient(timeout=settings.service_timeout_s, trust_env=False) as http:
            app.state.http = http
            app.state.oidc = OpenIdConnect(oidc_config, http) if oidc_config else None
            app.state.identity_provider = SignInProviders(
                app.state.identity_provider, app.state.oidc
            )
            try:
                yield
            finally:
                await accounts.store.close()

    app = FastAPI(
        title="工会服务平台 · 工作台",
        lifespan=lifespan,
        dependencies=[Depends(csrf_guard)],
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.settings = settings
    app.state.templates = build_templates(settings.timezone)
    app.state.templates.env.globals["oidc_sign_in"] = oidc_config is not None
    app.state.org_names = OrgNames()
    app.state.shared_reads = SharedReads()
    app.state.service_urls = {
        "members": settings.members_url,
        "claims": settings.claims_url,
        "relief": settings.relief_url,
        "outreach": settings.outreach_url,
    }
    limits = BodyLimits(settings.max_body_bytes)  # inside: the 413 page gets the headers too
    app.add_middleware(BodyLimitMiddleware, refusal=refuse_body, limits=limits)
    app.middleware("http")(session_middleware)
    app.middleware("http")(security_middleware)  # added last: runs first, wraps every answer
    install_error_pages(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (
        home_routes,
        auth_routes,
        account_routes,
        members_routes,
        claims_routes,
        relief_routes,
        outreach_routes,
        report_routes,
    ):
        app.include_router(module.router)
    app.include_router(oidc_routes.router)
    return app
