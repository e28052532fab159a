"""Follow (查询): the claims filed or paid at my service point (an officer: the district's;
a city admin: the city's), by status and filing period (受理日期从 … 至 …), paged; a claim's
page with its timeline."""

from __future__ import annotations

from datetime import date
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..i18n.labels import CLAIM_STATUSES
from ..web.deps import CurrentSession, PlatformDep
from ..web.forms import Problems
from .common import hospital_names, page, people, timeline

router = APIRouter()
PAGE_SIZE: Final = 20


@router.get("/list")
async def claim_list(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    status: str = "",
    role: str = "filed",
    filed_from: str = "",
    filed_to: str = "",
    page: int = 1,
) -> Response:
    """Claims of my place, newest first."""
    identity = session.identity
    problems = Problems()
    query: dict[str, Any] = {"page": max(page, 1), "size": PAGE_SIZE}
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
    found = {"total": 0, "page": 1, "size": PAGE_SIZE, "claims": []}
    if not problems:
        found = await platform.claims.claims(**query)
    filters = {"status": status, "role": role, "filed_from": filed_from, "filed_to": filed_to}
    context = {
        "found": found,
        "filters": filters,
        "statuses": list(CLAIM_STATUSES.items()),
        "at_point": identity.org.count("/") == 2,
        "problems": problems or None,
    }
    return _page(request, context)


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
