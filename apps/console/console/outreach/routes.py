"""The outreach desk (职工服务): its landing page, campaigns, sessions and intakes."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..web.deps import CurrentSession
from . import campaigns, intakes, points, sessions
from .common import page

router = APIRouter(prefix="/outreach")


@router.get("")
async def outreach_desk(request: Request, session: CurrentSession) -> Response:
    """The tasks of the desk this person's role can do."""
    return page(request, "outreach/landing.html", {})


for module in (campaigns, sessions, intakes, points):
    router.include_router(module.router)
