"""The desks of the left menu, and which roles work at each (the console hides the rest)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

STAFF: Final = frozenset({"city_admin", "district_officer", "clerk"})
MANAGERS: Final = frozenset({"city_admin", "district_officer"})


@dataclass(frozen=True)
class Desk:
    key: str
    label: str
    path: str
    roles: frozenset[str]
    summary: str


DESKS: Final = (
    Desk("home", "首页", "/", STAFF, "今日待办与常用业务入口"),
    Desk("members", "会员服务", "/members", STAFF, "会员查询、入会登记、会籍转接、参保"),
    Desk("claims", "互助保障", "/claims", STAFF, "受理、审核、支付互助金申请，打印报销凭证"),
    Desk(
        "relief",
        "困难帮扶",
        "/relief",
        STAFF,
        "困难职工建档、帮扶证和月度补助，各类救助的申请审批发放",
    ),
    Desk("outreach", "职工服务", "/outreach", STAFF, "普惠活动发放、巡回服务签到、诉求受理"),
    Desk(
        "reports",
        "统计报表",
        "/reports",
        MANAGERS,
        "互助保障、会员、困难帮扶、职工服务的统计报表，可打印、下载 Excel",
    ),
    Desk("accounts", "账号管理", "/accounts", MANAGERS, "工作人员账号的新建、停用和密码重置"),
)


def desks_for(role: str) -> list[Desk]:
    return [d for d in DESKS if role in d.roles]


def desk(key: str) -> Desk:
    return next(d for d in DESKS if d.key == key)
