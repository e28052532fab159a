"""What a page handler asks for: the signed-in person's session, the services as that person."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ..accounts.domain import Manager
from ..auth.sessions import Session
from ..clients import Platform
from ..desks import MANAGERS
from .pages import PageForbidden, SignInRequired


def platform_for(request: Request, session: Session) -> Platform:
    """The four services' clients, acting with this person's platform token."""
    tokens = request.app.state.platform_tokens

    async def token() -> str:
        return str(tokens.for_session(session))

    state = request.app.state
    return Platform.build(state.http, state.service_urls, token, state.shared_reads)


async def current_session(request: Request) -> Session:
    """The session the middleware found; sign-in first when there is none. Also the org
    names the page shows (from the registry, as this person)."""
    session: Session | None = getattr(request.state, "session", None)
    if session is None:
        raise SignInRequired(getattr(request.state, "session_expired", ""))
    if session.identity.must_change_password and request.url.path != "/password":
        raise SignInRequired("change_password")
    members = platform_for(request, session).members
    request.state.orgs = await request.app.state.org_names.names(members)
    return session


CurrentSession = Annotated[Session, Depends(current_session)]


def platform(request: Request, session: CurrentSession) -> Platform:
    return platform_for(request, session)


PlatformDep = Annotated[Platform, Depends(platform)]


def account_manager(session: CurrentSession) -> Manager:
    """City admins and district officers manage accounts; anyone else is told why not."""
    identity = session.identity
    if identity.role not in MANAGERS:
        raise PageForbidden(
            "账号管理仅限市总管理员和区县审核人员使用。"
            f"您的角色是“{_role(identity.role)}”，如需新建或重置账号，请联系本区县审核人员。"
        )
    return Manager(identity.account_id, identity.role, identity.org)


AccountManager = Annotated[Manager, Depends(account_manager)]


def _role(role: str) -> str:
    from ..i18n import label

    return label(role)
