"""Account administration (账号管理): list, create, disable and enable, reset a password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from union_events.errors import DomainError
from union_events.orgs import city_of, district_of

from ..web.deps import AccountManager
from ..web.errors import redirect
from ..web.forms import Problems
from ..web.pages import PageForbidden
from ..web.templating import render
from . import domain
from .history import describe
from .state import Account

router = APIRouter(prefix="/accounts")
PAGE_SIZE = 20
FIELD_OF_CODE = {
    "username_taken": "username",
    "invalid_username": "username",
    "display_name_required": "display_name",
    "invalid_role": "role",
    "cannot_manage_role": "role",
    "invalid_org_path": "org",
    "role_does_not_fit_org": "org",
    "outside_jurisdiction": "org",
}
NOTICES = {"disabled": "账号已停用，该账号的登录已全部失效。", "enabled": "账号已启用。"}


def scope_of(manager: domain.Manager) -> str:
    """Whose accounts a manager sees: a city admin's city, an officer's district."""
    return city_of(manager.org) if manager.role == "city_admin" else district_of(manager.org)


def roles_for(manager: domain.Manager) -> list[str]:
    if manager.role == "city_admin":
        return list(domain.ROLES)
    return ["district_officer", "clerk"]


async def _account(request: Request, manager: domain.Manager, account_id: str) -> Account:
    account = await request.app.state.accounts.get(account_id)
    if account is None:
        raise DomainError("no such account", code="account_not_found")
    try:
        domain.may_manage(manager, account.role, account.org)
    except DomainError as exc:
        raise PageForbidden("该账号不在您管理的范围内：您只能管理本辖区的工作人员账号。") from exc
    return account


@router.get("")
async def account_list(
    request: Request,
    manager: AccountManager,
    q: str = "",
    role: str = "",
    status: str = "",
    page: int = 1,
) -> Response:
    """The accounts of the manager's city or district, filtered and paged."""
    active = {"active": True, "disabled": False}.get(status)
    found = await request.app.state.accounts.directory.search(
        scope=scope_of(manager),
        text=q,
        role=role if role in domain.ROLES else "",
        active=active,
        page=page,
        size=PAGE_SIZE,
    )
    context = {
        "found": found,
        "filters": {"q": q, "role": role, "status": status},
        "roles": domain.ROLES,
        "now": request.app.state.accounts.clock(),
    }
    return render(request, "accounts/list.html", context, desk="accounts")


@router.get("/new")
async def new_account_page(request: Request, manager: AccountManager) -> Response:
    """The form for a new staff account."""
    values = {"org": scope_of(manager), "role": "clerk"}
    context = {"values": values, "roles": roles_for(manager)}
    return render(request, "accounts/new.html", context, desk="accounts")


@router.post("")
async def create_account(
    request: Request,
    manager: AccountManager,
    username: Annotated[str, Form()] = "",
    display_name: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
    org: Annotated[str, Form()] = "",
) -> Response:
    """Create the account; its one-time password is shown once."""
    values = {"username": username, "display_name": display_name, "role": role, "org": org}
    problems = Problems()  # in the form's order, so the summary reads top to bottom
    if not username.strip():
        problems.add("username", "请填写用户名")
    else:
        try:
            domain.check_username(username)
        except DomainError as exc:
            problems.code("username", exc.code)
    if not display_name.strip():
        problems.add("display_name", "请填写姓名")
    if not role:
        problems.add("role", "请选择角色")
    if not org.strip():
        problems.add("org", "请填写所属单位")
    if not problems:
        try:
            issued = await request.app.state.accounts.create(
                manager, username=username, display_name=display_name, role=role, org=org
            )
        except DomainError as exc:
            problems.code(FIELD_OF_CODE.get(exc.code, "username"), exc.code)
    if problems:
        context = {"values": values, "roles": roles_for(manager), "problems": problems}
        return render(request, "accounts/new.html", context, status_code=422, desk="accounts")
    context = {"issued": issued, "reset": False}
    return render(request, "accounts/issued.html", context, desk="accounts")


@router.get("/{account_id}")
async def account_page(
    request: Request, manager: AccountManager, account_id: str, notice: str = ""
) -> Response:
    """One account and its history: who changed what, and when."""
    accounts = request.app.state.accounts
    account = await _account(request, manager, account_id)
    orgs = getattr(request.state, "orgs", {})
    timezone = request.app.state.settings.timezone
    history = [
        describe(entry, accounts.directory.name_of, timezone, lambda p: orgs.get(p, p))
        for entry in reversed(await accounts.history(account))
    ]
    context = {
        "account": account,
        "history": history,
        "notice": NOTICES.get(notice, ""),
        "is_self": account.account_id == manager.account_id,
        "now": accounts.clock(),
    }
    return render(request, "accounts/detail.html", context, desk="accounts")


@router.get("/{account_id}/{action}")
async def confirm_page(
    request: Request, manager: AccountManager, account_id: str, action: str
) -> Response:
    """Check before a reset or a disable: what will happen to whom."""
    if action not in ("reset", "disable"):
        raise DomainError("no such page", code="not_found")
    account = await _account(request, manager, account_id)
    context = {"account": account, "action": action}
    return render(request, "accounts/confirm.html", context, desk="accounts")


@router.post("/{account_id}/reset")
async def reset_password(request: Request, manager: AccountManager, account_id: str) -> Response:
    """A new one-time password, shown once; the account's sessions end."""
    account = await _account(request, manager, account_id)
    issued = await request.app.state.accounts.reset_password(manager, account.account_id)
    context = {"issued": issued, "reset": True}
    return render(request, "accounts/issued.html", context, desk="accounts")


@router.post("/{account_id}/disable")
async def disable_account(request: Request, manager: AccountManager, account_id: str) -> Response:
    account = await _account(request, manager, account_id)
    await request.app.state.accounts.disable(manager, account.account_id)
    return redirect(request, f"/accounts/{account.account_id}?notice=disabled")


@router.post("/{account_id}/enable")
async def enable_account(request: Request, manager: AccountManager, account_id: str) -> Response:
    account = await _account(request, manager, account_id)
    await request.app.state.accounts.enable(manager, account.account_id)
    return redirect(request, f"/accounts/{account.account_id}?notice=enabled")
