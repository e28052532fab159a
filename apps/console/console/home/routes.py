"""The home page: the desks this person's role may use (a manager's dashboard above them);
health and readiness for operators."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from ..desks import MANAGERS, desks_for
from ..web.deps import CurrentSession, PlatformDep
from ..web.desk_pages import today
from ..web.templating import render
from .dashboard import chart, dashboard

router = APIRouter()
log = logging.getLogger(__name__)

NOTICES = {"password_changed": "密码已修改。请妥善保管，不要告诉他人。"}


@router.get("/")
async def home(
    request: Request, session: CurrentSession, platform: PlatformDep, notice: str = ""
) -> Response:
    """The desks of the signed-in person's role; for a city admin or a district officer, the
    dashboard first: this month so far against last month's same days."""
    desks = [d for d in desks_for(session.identity.role) if d.key != "home"]
    context: dict[str, object] = {"home_desks": desks, "notice": NOTICES.get(notice, "")}
    if session.identity.role in MANAGERS:
        board = await dashboard(platform, session, today(request))
        context |= {"board": board, "board_chart": chart(board)}
    return render(request, "home/home.html", context, desk="home")


@router.get("/healthz", include_in_schema=False)
async def healthz() -> JSONResponse:
    return JSONResponse({"status": "ok"})


@router.get("/readyz", include_in_schema=False)
async def readyz(request: Request) -> JSONResponse:
    """Ready when the console's own database answers (the services have their own probes)."""
    try:
        await request.app.state.store.ping()
    except Exception as exc:  # reported, not raised: a probe wants an answer
        return JSONResponse({"ready": False, "reason": repr(exc)}, status_code=503)
    return JSONResponse({"ready": True, "service": "console"})
