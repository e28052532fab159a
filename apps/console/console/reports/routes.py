"""The reports desk (统计报表): for city admins (every district and the city total) and
district officers (their district); each report a page (charts, a table with its totals row,
a print layout) and an .xlsx download of the same figures."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Final
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..auth.sessions import Session
from ..clients import Platform, ServiceError
from ..desks import MANAGERS
from ..i18n import label
from ..web.deps import CurrentSession, PlatformDep
from ..web.pages import PageForbidden
from ..web.templating import render
from .claims import claims_report
from .excel import workbook
from .framework import Jurisdiction, Period, Report, jurisdiction, made_now, read_period
from .members import members_report
from .outreach import outreach_report
from .relief import relief_report

Builder = Callable[[Platform, Period, Jurisdiction], Awaitable[Report]]
REPORTS: Final[dict[str, tuple[str, str, Builder]]] = {
    "claims": (
        "互助保障统计报表",
        "受理、支付、不予报销（按原因）件数，支付金额和平均互助金，区县间代付",
        claims_report,
    ),
    "members": (
        "会员统计报表",
        "期末会员数，新入会、退会、转入转出人数，各年度参保人数",
        members_report,
    ),
    "relief": (
        "困难帮扶统计报表",
        "每月生活补助和各类救助的人次、金额",
        relief_report,
    ),
    "outreach": (
        "职工服务统计报表",
        "巡回服务场次和人次，诉求受理（按类别）和办结（按结果），普惠活动发放",
        outreach_report,
    ),
}
router = APIRouter(prefix="/reports")


def require(session: Session) -> None:
    role = session.identity.role
    if role not in MANAGERS:
        raise PageForbidden(
            f"统计报表由市总管理员和区县审核人员查看。您的角色是“{label(role)}”，"
            "如需本区县的统计数据，请联系本区县审核人员。"
        )


@router.get("")
async def reports_desk(request: Request, session: CurrentSession) -> Response:
    require(session)
    cards = [(key, title, summary) for key, (title, summary, _) in REPORTS.items()]
    return render(request, "reports/landing.html", {"reports": cards}, desk="reports")


async def _report(
    request: Request, session: Session, platform: Platform, key: str, start: str, end: str
) -> tuple[Report | None, dict[str, object], int]:
    require(session)
    if key not in REPORTS:
        raise PageForbidden("没有这张报表。请从统计报表首页选择。")
    title, _, build = REPORTS[key]
    period, problems = read_period(request, start, end)
    values = {"start": start or "", "end": end or ""}
    if period is not None:
        values = {"start": period.start.isoformat(), "end": period.end.isoformat()}
    report = None
    if period is not None:
        try:
            report = await build(platform, period, await jurisdiction(platform, session))
        except ServiceError as exc:
            if exc.status >= 500:
                raise
            problems.general.append(exc.message)
        else:
            report.made_at = made_now(request)
    context = {"key": key, "title": title, "values": values, "report": report}
    context["problems"] = problems or None
    return report, context, 422 if problems else 200


@router.get("/{key}.xlsx")
async def report_excel(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    key: str,
    start: str = "",
    end: str = "",
) -> Response:
    """The report as an Excel file; a bad period gives the page, with the reason."""
    report, context, status = await _report(request, session, platform, key, start, end)
    if report is None:
        return render(request, "reports/report.html", context, status_code=status, desk="reports")
    name = f"{report.title}_{report.period.start:%Y%m%d}-{report.period.end:%Y%m%d}.xlsx"
    disposition = f"attachment; filename=\"report-{key}.xlsx\"; filename*=UTF-8''{quote(name)}"
    return Response(
        workbook(report),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": disposition},
    )


@router.get("/{key}")
async def report_page(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    key: str,
    start: str = "",
    end: str = "",
) -> Response:
    _, context, status = await _report(request, session, platform, key, start, end)
    return render(request, "reports/report.html", context, status_code=status, desk="reports")
