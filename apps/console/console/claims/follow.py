"""Follow (查询): the claims filed or paid at my service point (an officer: the district's;
a city admin: the city's), by status and filing period (受理日期从 … 至 …), paged, sorted on
the server by a column heading, and exported as Excel (导出 Excel: every page with the same
filters and order); a claim's page with its timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..i18n.errors import ERROR_MESSAGES
from ..i18n.labels import CLAIM_STATUSES, label
from ..reports.excel import ListColumn
from ..web.deps import CurrentSession, PlatformDep
from ..web.forms import Problems
from ..web.lists import EXPORT_CAP, count_stated, every_row, list_download
from .common import hospital_names, page, people, timeline

router = APIRouter()
PAGE_SIZE: Final = 20
# The columns the list may be sorted by (the claims API's `sort`, `-` for descending); the
# default is newest first (the approval queue oldest first).
SORTABLE: Final = {"filed_on": "受理日期", "claimed": "发票金额", "benefit": "互助金"}
SORTS: Final = (*SORTABLE, *(f"-{key}" for key in SORTABLE))
COLUMNS: Final = (
    ListColumn("申请号", width=38),
    ListColumn("受理日期", "date", 12),
    ListColumn("保障年度", width=16),
    ListColumn("受理站点", width=22),
    ListColumn("参保区县", width=16),
    ListColumn("发票金额", "yuan", 14),
    ListColumn("互助金", "yuan", 14),
    ListColumn("状态", width=10),
)


@dataclass
class Listing:
    """What the list asks the claims API for, the filters as typed, and what was wrong."""

    query: dict[str, Any]
    filters: dict[str, str]
    problems: Problems


def _listing(
    session: Any, status: str, role: str, filed_from: str, filed_to: str, sort: str
) -> Listing:
    identity = session.identity
    problems = Problems()
    query: dict[str, Any] = {}
    if identity.org.count("/") == 2:  # a service point: filed or paid here
        query |= {"service_point": identity.org, "role": "paid" if role == "paid" else "filed"}
    elif identity.org.count("/") == 1:
        query["district"] = identity.org
    if status in CLAIM_STATUSES or status == "awaiting_approval":
        query["status"] = status
    period: dict[str, date] = {}
    for name, typed, words in (("filed_from", filed_from, "开始"), ("filed_to", filed_to, "结束")):
        if typed.strip():
            try:
                period[name] = date.fromisoformat(typed.strip())
            except ValueError:
                problems.add(name, f"受理日期（{words}）格式不正确，如 2026-05-01")
    if len(period) == 2 and period["filed_from"] > period["filed_to"]:
        problems.add("filed_to", "受理日期的结束日期不能早于开始日期")
    query |= {k: v.isoformat() for k, v in period.items()}
    if sort and sort not in SORTS:
        problems.add("sort", ERROR_MESSAGES["invalid_sort"])
    elif sort:
        query["sort"] = sort
    filters = {"status": status, "role": role, "filed_from": filed_from, "filed_to": filed_to}
    if sort:
        filters["sort"] = sort
    return Listing(query, filters, problems)


def _stated(listing: Listing, at_point: bool, place: str) -> list[tuple[str, str]]:
    """The list's filters in Chinese, as the Excel file states them."""
    f, query = listing.filters, listing.query
    scope = place
    if at_point:
        scope += "（本站点支付的）" if query.get("role") == "paid" else "（本站点受理的）"
    status = label(query["status"]) if "status" in query else "全部状态"
    start, end = query.get("filed_from", ""), query.get("filed_to", "")
    period = f"{start or '不限'} 至 {end or '不限'}" if start or end else "不限"
    order = "受理日期从新到旧（默认）"
    if "sort" in query:
        key = query["sort"]
        order = SORTABLE[key.lstrip("-")] + ("从高到低" if key.startswith("-") else "从低到高")
        if key.lstrip("-") == "filed_on":
            order = "受理日期" + ("从新到旧" if key.startswith("-") else "从旧到新")
    elif f["status"] == "awaiting_approval":
        order = "受理日期从旧到新（待审批队列）"
    return [("范围", scope), ("状态", status), ("受理日期", period), ("排序", order)]


def _headings(filters: dict[str, str]) -> list[dict[str, str]]:
    """The table's column headings; the sortable ones link to the list in their order
    (again: the other way), keeping the filters, and say the current order (aria-sort)."""
    current = filters.get("sort", "")
    if not current:  # the default: newest first, the approval queue oldest first
        current = "filed_on" if filters.get("status") == "awaiting_approval" else "-filed_on"
    kept = {k: v for k, v in filters.items() if k != "sort" and v}
    headings = []
    for text in ("申请号", "受理日期", "保障年度", "受理站点", "参保区县", "发票金额", "互助金"):
        key = next((k for k, words in SORTABLE.items() if words == text), None)
        if key is None:
            headings.append({"text": text})
            continue
        heading = {"text": text, "aria": "none", "arrow": ""}
        ascending = key == "filed_on" and current == "-filed_on"  # first click: the other way
        if current.lstrip("-") == key:
            descending = current.startswith("-")
            heading |= {"aria": "descending" if descending else "ascending"}
            heading["arrow"] = "↓" if descending else "↑"
            ascending = descending
        order = key if ascending else f"-{key}"
        heading["href"] = "/claims/list?" + urlencode(kept | {"sort": order})
        heading["title"] = f"按{text}" + ("从低到高" if ascending else "从高到低") + "排序"
        if key == "filed_on":
            heading["title"] = "按受理日期" + ("从旧到新" if ascending else "从新到旧") + "排序"
        headings.append(heading)
    return [*headings, {"text": "状态"}, {"text": "操作"}]


@router.get("/list")
async def claim_list(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    status: str = "",
    role: str = "filed",
    filed_from: str = "",
    filed_to: str = "",
    sort: str = "",
    page: int = 1,
) -> Response:
    """Claims of my place, newest first or sorted by a column."""
    listing = _listing(session, status, role, filed_from, filed_to, sort)
    found = {"total": 0, "page": 1, "size": PAGE_SIZE, "claims": []}
    if not listing.problems:
        query = listing.query | {"page": max(page, 1), "size": PAGE_SIZE}
        found = await platform.claims.claims(**query)
    context = {
        "found": found,
        "filters": listing.filters,
        "statuses": list(CLAIM_STATUSES.items()),
        "at_point": session.identity.org.count("/") == 2,
        "problems": listing.problems or None,
        "headings": _headings(listing.filters),
        "export_href": "/claims/list.xlsx?" + urlencode(listing.filters),
        "export_cap": EXPORT_CAP,
    }
    return _page(request, context)


@router.get("/list.xlsx")
async def claim_list_excel(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    status: str = "",
    role: str = "filed",
    filed_from: str = "",
    filed_to: str = "",
    sort: str = "",
) -> Response:
    """What the list shows with its filters and order, every page (at most EXPORT_CAP
    rows), as an Excel file; bad filters give the page, with the reason."""
    listing = _listing(session, status, role, filed_from, filed_to, sort)
    if listing.problems:
        return await claim_list(
            request, session, platform, status, role, filed_from, filed_to, sort
        )
    total, claims = await every_row(platform.claims.claims, "claims", listing.query)
    orgs = getattr(request.state, "orgs", {})
    identity = session.identity
    at_point = identity.org.count("/") == 2
    stated = _stated(listing, at_point, orgs.get(identity.org, identity.org))
    stated.append(count_stated(total, len(claims)))
    rows = [
        [
            c["claim_id"],
            c["filed_on"],
            f"{label(c.get('plan_id'))} {c.get('year') or ''}".strip(),
            orgs.get(c.get("service_point"), c.get("service_point") or ""),
            orgs.get(c.get("insuring_district"), c.get("insuring_district") or ""),
            c.get("claimed"),
            c.get("benefit"),
            label(c.get("status")),
        ]
        for c in claims
    ]
    title = "互助保障申请清单"
    return list_download(request, title, stated, COLUMNS, rows, "claims-list.xlsx")


def _page(request: Request, context: dict[str, Any]) -> Response:
    return page(request, "claims/list.html", context, tab="list")


@router.get("/{claim_id}")
async def claim_page(
    request: Request, session: CurrentSession, platform: PlatformDep, claim_id: str
) -> Response:
    """A claim: its facts, the benefit's working and each step, when, by whom, where."""
    claim = await platform.claims.claim(claim_id)
    names = await people(request, claim)
    context = {
        "claim": claim,
        "steps_done": timeline(claim, names, getattr(request.state, "orgs", {})),
    }
    hospitals = await hospital_names(platform)
    return page(request, "claims/detail.html", context, tab="list", hospitals=hospitals)
