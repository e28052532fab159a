"""What every page of the claims desk shares: its tabs by role, the guards that say why a
page is not for someone, and a claim as a page shows it (names for org paths and accounts)."""

from __future__ import annotations

from typing import Any, Final

from fastapi import Request
from fastapi.responses import Response

from ..auth.sessions import Session
from ..clients import Platform, ServiceError
from ..i18n import label
from ..i18n.labels import CAPS, CLAIM_STEPS
from ..web.desk_pages import Tab
from ..web.pages import PageForbidden
from ..web.templating import render

CLERK: Final = frozenset({"clerk"})
OFFICER: Final = frozenset({"district_officer"})
ADMIN: Final = frozenset({"city_admin"})
EVERYONE: Final = frozenset({"clerk", "district_officer", "city_admin"})

TABS: Final = (
    Tab("file", "受理", "/claims/file", CLERK, "录入会员、住院日期和发票，提交后实时显示核算结果"),
    Tab("review", "待审核", "/claims/review", OFFICER, "按受理先后审核本区县的申请"),
    Tab("pay", "支付", "/claims/pay", CLERK, "支付已审核的申请，打印报销凭证"),
    Tab("list", "查询", "/claims/list", EVERYONE, "按状态和日期查询申请，查看办理记录"),
    Tab("plans", "保障年度", "/claims/plans", ADMIN, "设置保障年度规则：统筹、起付线、比例、封顶"),
    Tab("hospitals", "医院目录", "/claims/hospitals", ADMIN, "登记和修改本市医院"),
    Tab(
        "settlements",
        "区县间结算",
        "/claims/settlements",
        ADMIN | OFFICER,
        "某一期间各区县代付的互助金和净额",
    ),
)

WHY_NOT: Final = {
    "file": "受理仅限服务站点的窗口经办人员办理。",
    "pay": "支付仅限服务站点的窗口经办人员办理。",
    "review": ("待审核仅限区县审核人员使用：互助金申请由会员参保区县或受理区县的审核人员审核。"),
    "plans": "保障年度规则仅限市总管理员设置。",
    "hospitals": "医院目录仅限市总管理员维护。",
    "settlements": "区县间结算仅限市总管理员和区县审核人员查看。",
}

FINAL: Final = frozenset({"approved", "paid", "rejected", "returned"})
STEPS: Final = ("filed", "awaiting_eligibility", "assessed", "approved", "paid")


def tabs_for(role: str) -> list[Tab]:
    return [t for t in TABS if role in t.roles]


def require(session: Session, key: str) -> None:
    """The page `key` is for the roles of its tab; anyone else is told why, in Chinese."""
    tab = next(t for t in TABS if t.key == key)
    identity = session.identity
    if identity.role not in tab.roles:
        role = label(identity.role)
        hint = "如需查看申请的办理进度，请在“互助保障 / 查询”中打开该申请。"
        raise PageForbidden(f"{WHY_NOT[key]}您的角色是“{role}”。{hint}")
    if key in ("file", "pay") and identity.org.count("/") != 2:
        raise PageForbidden(f"{WHY_NOT[key]}您的账号所属单位不是服务站点（{identity.org}）。")


async def people(request: Request, claim: dict[str, Any]) -> dict[str, dict[str, str]]:
    """subject -> {name, org} for the console accounts that acted on the claim."""
    accounts = request.app.state.accounts
    found: dict[str, dict[str, str]] = {}
    subjects = {(step.get("by") or {}).get("subject") for step in claim.get("timeline") or []} | {
        (claim.get(k) or {}).get("subject")
        for k in ("filed_by", "approved_by", "paid_by", "rejected_by", "returned_by")
    }
    for subject in sorted(s for s in subjects if s):
        account = await accounts.get(subject)
        if account is not None:
            found[subject] = {"name": account.display_name, "org": account.org}
    return found


def who(actor: dict[str, str] | None, names: dict[str, dict[str, str]]) -> str:
    """The person behind an actor: a console account's name, else the role (系统 for none)."""
    if not actor:
        return "系统自动"
    person = names.get(actor.get("subject", ""))
    if person:
        return person["name"]
    return f"{label(actor.get('role'))}（{actor.get('subject', '')}）"


def timeline(
    claim: dict[str, Any], names: dict[str, dict[str, str]], orgs: dict[str, str]
) -> list[dict[str, str]]:
    """Each step: what, when, by whom, where (the account's org, else the claim's place)."""
    rows = []
    for step in claim.get("timeline") or []:
        by = step.get("by")
        person = names.get((by or {}).get("subject", ""))
        place = person["org"] if person else ""
        if not place and step["what"] in ("filed", "resubmitted"):
            place = claim.get("service_point") or ""
        if not place and step["what"] == "paid":
            place = claim.get("paid_at") or ""
        note = ""
        if step.get("code"):
            note = label(step["code"])
        if step.get("reason"):
            note = f"{note}：{step['reason']}" if note else step["reason"]
        rows.append(
            {
                "what": CLAIM_STEPS.get(step["what"], label(step["what"])),
                "on": step.get("at") or step.get("on") or "",  # the instant where known
                "by": who(by, names),
                "where": orgs.get(place, place) if place else "—",
                "note": note,
            }
        )
    return rows


def status_kind(status: str) -> str:
    """The tag colour of a claim's status."""
    return {
        "approved": "success",
        "paid": "success",
        "rejected": "danger",
        "returned": "warning",
        "assessed": "warning",
    }.get(status, "info")


def invoice_total(claim: dict[str, Any]) -> str:
    return str(claim.get("claimed") or "")


def percent(ratio: object) -> str:
    """0.5 -> 50%, 0.333 -> 33.3%."""
    try:
        value = float(str(ratio)) * 100
    except ValueError:
        return str(ratio)
    return f"{value:.1f}".rstrip("0").rstrip(".") + "%"


def cap_label(cap: str) -> str:
    return CAPS.get(cap, cap)


def page(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    tab: str = "",
    hospitals: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """A claims desk page: its tabs, and the helpers its templates use."""
    names = hospitals or {}
    helpers = {
        "claim_tabs": tabs_for,
        "active_tab": tab,
        "percent": percent,
        "cap_label": cap_label,
        "hospital_name": lambda code: f"{names[code]}（{code}）" if code in names else code,
        "status_kind": status_kind,
    }
    return render(request, template, {**helpers, **context}, status_code=status_code, desk="claims")


async def hospital_names(platform: Platform) -> dict[str, str]:
    try:
        rows = (await platform.claims.hospitals())["hospitals"]
    except ServiceError:
        return {}
    return {h["code"]: h["name"] for h in rows}
