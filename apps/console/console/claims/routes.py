"""The claims desk (互助保障): its landing page and its pages, one module per task (file,
review, pay, follow, the city admin's rules, hospitals and settlement)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..web.deps import CurrentSession
from . import admin, filing, follow, payment, review
from .common import page

router = APIRouter(prefix="/claims")


@router.get("")
async def claims_desk(request: Request, session: CurrentSession) -> Response:
    """The tasks of the desk this person's role can do."""
    return page(request, "claims/landing.html", {})


for module in (filing, review, payment, admin, follow):  # follow's /{claim_id} comes last
    router.include_router(module.router)
