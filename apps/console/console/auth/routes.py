"""Sign-in (登录), sign-out and the password change (修改密码)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from union_events.errors import DomainError

from ..auth.sessions import Session
from ..i18n import chinese_message
from ..web.deps import CurrentSession
from ..web.errors import redirect
from ..web.formats import time_cn
from ..web.forms import Problems
from ..web.pages import PageForbidden
from ..web.security import SESSION_COOKIE, cookie_secure
from ..web.templating import render

router = APIRouter()

NOTICES = {  # why someone is on the sign-in page: fixed words, never text from the URL
    "idle": "您已较长时间未操作，为保护信息安全已自动退出，请重新登录。",
    "ended": "您的账号已被停用或密码已被重置，请重新登录。",
    "signed_out": "您已安全退出。",
}


def _safe_next(target: str) -> str:
    """Only a path of this console (never `//elsewhere` or a full URL)."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


@router.get("/login")
async def sign_in_page(request: Request, next: str = "/", reason: str = "") -> Response:
    """The sign-in page."""
    if request.state.session is not None:
        return redirect(request, _safe_next(next))
    context = {"next": _safe_next(next), "notice": NOTICES.get(reason, ""), "username": ""}
    return render(request, "auth/login.html", context)


@router.post("/login")
async def sign_in(
    request: Request,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Check the password; start a session (the first sign-in goes to the password change)."""
    problems = Problems()
    if not username.strip():
        problems.add("username", "请填写用户名")
    if not password:
        problems.add("password", "请填写密码")
    if not problems:
        try:
            identity = await request.app.state.identity_provider.sign_in(username, password)
        except DomainError as exc:
            problems.general.append(_refusal(request, exc))
    if problems:
        context = {"next": _safe_next(next), "problems": problems, "username": username}
        return render(request, "auth/login.html", context, status_code=422)
    sessions = request.app.state.sessions
    if request.state.session is not None:
        await sessions.end(request.state.session.id)
    session = await sessions.start(identity)
    target = "/password" if identity.must_change_password else _safe_next(next)
    response = redirect(request, target)
    response.set_cookie(
        SESSION_COOKIE,
        session.id,
        httponly=True,
        samesite="lax",
        secure=cookie_secure(request),
        path="/",
    )
    return response


def _refusal(request: Request, exc: DomainError) -> str:
    lockout = request.app.state.accounts.lockout
    if exc.code == "account_locked":
        until = time_cn(exc.details.get("until"), request.app.state.settings.timezone)
        return (
            f"该账号已被锁定：连续 {lockout.failures} 次密码错误。"
            f"请在 {lockout.minutes} 分钟后（{until} 以后）再试，或请管理员重置密码。"
        )
    if exc.code == "wrong_credentials":
        left = exc.details.get("left")
        if isinstance(left, int) and 0 < left <= 2:
            return f"用户名或密码不正确。再错 {left} 次，账号将被锁定 {lockout.minutes} 分钟。"
    return chinese_message(exc.code)


@router.post("/logout")
async def sign_out(request: Request) -> Response:
    """End the session."""
    if request.state.session is not None:
        await request.app.state.sessions.end(request.state.session.id)
    response = redirect(request, "/login?reason=signed_out")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/password")
async def password_page(request: Request, session: CurrentSession) -> Response:
    """The password change (forced at the first sign-in and after a reset)."""
    _local_only(session)
    return render(request, "auth/password.html", {"first": session.identity.must_change_password})


@router.post("/password")
async def change_password(
    request: Request,
    session: CurrentSession,
    current: Annotated[str, Form()] = "",
    new: Annotated[str, Form()] = "",
    confirm: Annotated[str, Form()] = "",
) -> Response:
    """Change the signed-in person's password."""
    _local_only(session)
    problems = Problems()
    if not current:
        problems.add("current", "请填写当前密码")
    if not new:
        problems.add("new", "请填写新密码")
    elif new != confirm:
        problems.code("confirm", "password_mismatch")
    if not problems:
        accounts = request.app.state.accounts
        try:
            await accounts.change_password(session.identity.account_id, current, new)
        except DomainError as exc:
            field = "current" if exc.code == "wrong_current_password" else "new"
            problems.code(field, exc.code)
    if problems:
        context = {"first": session.identity.must_change_password, "problems": problems}
        return render(request, "auth/password.html", context, status_code=422)
    return redirect(request, "/?notice=password_changed")


def _local_only(session: Session) -> None:
    """Only local accounts have a password here; a provider's people change it there."""
    if session.identity.provider != "local":
        raise PageForbidden("您是通过统一身份认证登录的，密码请在统一身份认证平台修改。")
