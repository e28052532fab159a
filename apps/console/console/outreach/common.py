"""What every page of the outreach desk shares: its tabs by role, the guard, its labels."""

from __future__ import annotations

from typing import Any, Final

from fastapi import Request
from fastapi.responses import Response

from ..auth.sessions import Session
from ..i18n import label
from ..i18n.labels import (
    CAMPAIGN_KINDS,
    CHANNELS,
    INTAKE_KINDS,
    INTAKE_OUTCOMES,
    INTAKE_STATUSES,
    MEMBER_CATEGORIES,
    POINT_KINDS,
    SERVICES,
)
from ..web.desk_pages import Tab
from ..web.pages import PageForbidden
from ..web.templating import render

STAFF: Final = frozenset({"clerk", "district_officer", "city_admin"})
DISTRICT_STAFF: Final = frozenset({"clerk", "district_officer"})
MANAGERS: Final = frozenset({"district_officer", "city_admin"})

TABS: Final = (
    Tab("campaigns", "普惠活动", "/outreach/campaigns", STAFF, "夏送清凉等普惠活动的库存和发放"),
    Tab("sessions", "巡回服务", "/outreach/sessions", STAFF, "安排和开展巡回服务，登记签到人次"),
    Tab("intakes", "诉求受理", "/outreach/intakes", STAFF, "受理职工的求助和投诉，转交办理，办结"),
    Tab("points", "服务站点", "/outreach/points", STAFF, "站点设施、开放时间，开放或暂停"),
    Tab("missed", "未按月巡回", "/outreach/missed", MANAGERS, "未按月开展巡回服务的固定巡回服务点"),
)  # fmt: skip

WHY_NOT: Final = {
    "manage": "普惠活动和服务站点由区县审核人员或市总管理员设置。",
    "serve": "发放、签到和诉求受理由区县的窗口经办人员或审核人员办理。",
    "report": "未按月巡回的统计供区县审核人员和市总管理员查看。",
}


def tabs_for(role: str) -> list[Tab]:
    return [t for t in TABS if role in t.roles]


def require(session: Session, key: str) -> None:
    """`read`: any staff; `serve`: district staff; `manage` and `report`: officers and city
    admins (outreach's reports are theirs)."""
    roles = {"read": STAFF, "serve": DISTRICT_STAFF, "manage": MANAGERS, "report": MANAGERS}[key]
    if session.identity.role not in roles:
        raise PageForbidden(f"{WHY_NOT.get(key, '')}您的角色是“{label(session.identity.role)}”。")


def page(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    tab: str = "",
    status_code: int = 200,
) -> Response:
    helpers = {
        "outreach_tabs": tabs_for,
        "active_tab": tab,
        "campaign_kinds": CAMPAIGN_KINDS,
        "services_offered": SERVICES,
        "channels": CHANNELS,
        "member_categories": MEMBER_CATEGORIES,
        "point_kinds": POINT_KINDS,
        "intake_kinds": INTAKE_KINDS,
        "intake_outcomes": INTAKE_OUTCOMES,
        "intake_statuses": INTAKE_STATUSES,
    }
    return render(
        request, template, {**helpers, **context}, status_code=status_code, desk="outreach"
    )
