"""What every page of the relief desk shares: its tabs by role, the guard that says why a page
is not for someone, the labels of its lists, and money and months as the union writes them."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, Final

from fastapi import Request
from fastapi.responses import Response
from union_events.orgs import city_of

from ..auth.sessions import Session
from ..clients import Platform
from ..i18n import label
from ..i18n.labels import APPLICATION_STATUSES as APPLICATION_LABELS
from ..i18n.labels import GRANT_KINDS
from ..web.desk_pages import Tab, my_district
from ..web.pages import PageForbidden
from ..web.templating import render

CATEGORIES: Final = {"deep": "深度困难", "relative": "相对困难", "accident_or_illness": "意外致困"}
FILE_STATUSES: Final = {"open": ("在档", "success"), "closed": ("已结档", "info")}
APPLICATION_TONES: Final = {
    "drafted": "info",
    "submitted": "warning",
    "approved": "success",
    "rejected": "danger",
    "disbursed": "success",
}
APPLICATION_STATUSES: Final = {  # label and tone of each status, in the vocabulary's order
    status: (text, APPLICATION_TONES[status]) for status, text in APPLICATION_LABELS.items()
}


STAFF: Final = frozenset({"clerk", "district_officer", "city_admin"})
DISTRICT_STAFF: Final = frozenset({"clerk", "district_officer"})
OFFICER: Final = frozenset({"district_officer"})
ADMIN: Final = frozenset({"city_admin"})

TABS: Final = (
    Tab(
        "files",
        "困难职工档案",
        "/relief/files",
        STAFF,
        "本区县的困难职工档案、爱心帮扶证和复核日期",
    ),
    Tab(
        "new",
        "建档",
        "/relief/files/new",
        DISTRICT_STAFF,
        "为困难职工建档，按家庭人均月收入核定帮扶证",
    ),
    Tab(
        "applications",
        "救助申请",
        "/relief/applications",
        STAFF,
        "生活救助、大病救助、助学金、两节慰问：申请、审批、发放、回执",
    ),
    Tab(
        "illness",
        "大病救助待办",
        "/relief/illness",
        OFFICER,
        "会员年度医疗自付超过大病救助起付线后自动生成的大病救助，待补全和审批",
    ),
    Tab(
        "visits",
        "走访回访",
        "/relief/visits",
        STAFF,
        "持证会员每季度走访回访一次：逾期未访的档案，逾期最久的在前",
    ),
    Tab(
        "standards",
        "低保标准",
        "/relief/standards",
        OFFICER,
        "设置本区县的最低生活保障标准",
    ),
    Tab(
        "budgets",
        "年度预算",
        "/relief/budgets",
        OFFICER,
        "设置本区县各类救助的年度预算，查看已用和剩余",
    ),
    Tab(
        "run",
        "月度发放",
        "/relief/run",
        ADMIN,
        "为全市持证会员发放当月生活补助",
    ),
)

WHY_NOT: Final = {
    "new": "建档由区县的经办人员或审核人员办理。",
    "standards": "低保标准由区县审核人员设置。",
    "budgets": "年度预算由区县审核人员设置。",
    "run": "月度发放由市总管理员统一办理。",
    "decide": "救助申请由区县审核人员审批。",
    "illness": "大病救助待办由区县审核人员办理。",
}


def tabs_for(role: str) -> list[Tab]:
    return [t for t in TABS if role in t.roles]


def require(session: Session, key: str) -> None:
    """The page `key` is for the roles of its tab (or of `decide`); anyone else is told why."""
    roles = OFFICER if key == "decide" else next(t for t in TABS if t.key == key).roles
    if session.identity.role not in roles:
        role = label(session.identity.role)
        raise PageForbidden(f"{WHY_NOT.get(key, '')}您的角色是“{role}”。")


async def district_options(platform: Platform, session: Session) -> list[tuple[str, str]]:
    """The districts this person works for: their own, or a city admin's every district."""
    identity = session.identity
    if identity.role != "city_admin":
        district = my_district(session)
        org = await platform.members.org(district)
        return [(district, org.name if org else district)]
    city = city_of(identity.org)
    return [(o.path, o.name) for o in await platform.members.orgs(parent=city, level="district")]


def money(text: str) -> str | None:
    """A clerk's amount (¥1,040 or 1040.5) as the services want it ("1040.50"); None if it is
    no amount."""
    cleaned = text.strip().replace(",", "").replace("，", "").lstrip("¥￥").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if value < 0 or value != value.quantize(Decimal("0.01")):
        return None
    return f"{value:.2f}"


def page(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    tab: str = "",
    status_code: int = 200,
) -> Response:
    helpers = {
        "relief_tabs": tabs_for,
        "active_tab": tab,
        "categories": CATEGORIES,
        "file_statuses": FILE_STATUSES,
        "application_statuses": APPLICATION_STATUSES,
        "grant_kinds": GRANT_KINDS,
    }
    return render(request, template, {**helpers, **context}, status_code=status_code, desk="relief")
