"""The relief desk (困难帮扶): its landing page and its pages (files, grants, the run)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..web.deps import CurrentSession
from . import files, grants
from .common import page

router = APIRouter(prefix="/relief")


@router.get("")
async def relief_desk(request: Request, session: CurrentSession) -> Response:
    """The tasks of the desk this person's role can do."""
    return page(request, "relief/landing.html", {})


for module in (files, grants):
    router.include_router(module.router)
