"""Look up a member (会员查询): one box for the card or ID number (a card reader or scanner
types it and presses Enter), one for a name or a phone within the jurisdiction; active search
with htmx as the clerk types, and the same page as a plain form post."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from ..clients import ServiceError
from ..web.deps import CurrentSession, PlatformDep
from ..web.errors import redirect
from ..web.templating import render
from .desk import refusal

router = APIRouter()
SCAN_FORM = "scan-form"  # the form whose Enter opens the one record found


def number_key(number: str) -> tuple[str | None, str]:
    """What a scanned or typed number is: a card (16 digits) or an ID number (18), else a
    hint to keep typing."""
    digits = number.replace(" ", "").replace("-", "").upper()
    if len(digits) == 16 and digits.isdigit():
        return "card_no", digits
    if len(digits) >= 18:
        return "national_id", digits
    if not digits:
        return None, ""
    return None, f"已输入 {len(digits)} 位：会员服务卡号为 16 位，身份证号为 18 位。"


def text_key(text: str) -> tuple[str | None, str]:
    """A name, or a phone when it is digits (spaces, dashes and +86 allowed)."""
    value = text.strip()
    digits = value.replace(" ", "").replace("-", "").removeprefix("+86")
    if not value:
        return None, ""
    if digits.isdigit():
        if len(digits) < 11:
            return None, f"已输入 {len(digits)} 位：请输入完整的 11 位手机号。"
        return "phone", digits
    return "name", value


async def _search(platform: PlatformDep, number: str, text: str) -> dict[str, Any]:
    key, value = number_key(number) if number.strip() else text_key(text)
    result: dict[str, Any] = {"searched": bool(number.strip() or text.strip()), "rows": None}
    if key is None:
        result["hint"] = value
        return result
    try:
        result["rows"] = await platform.members.lookup(key, value)
    except ServiceError as exc:
        if exc.status >= 500 or exc.status in (401, 403):
            raise
        result["error"] = refusal(exc, value)
    result["by"] = key
    return result


@router.get("")
async def lookup_page(request: Request, session: CurrentSession) -> Response:
    """The members desk's first page: find a member."""
    context = {"values": {"number": "", "text": ""}, "found": None}
    return render(request, "members/lookup.html", context, desk="members")


@router.post("/search")
async def search(
    request: Request,
    session: CurrentSession,
    platform: PlatformDep,
    number: Annotated[str, Form()] = "",
    text: Annotated[str, Form()] = "",
) -> Response:
    """The matches as a table (a fragment for htmx, the whole page for a plain post); Enter
    on the card or ID box opens the one record found."""
    found = await _search(platform, number, text)
    rows = found.get("rows") or []
    full = [r for r in rows if r.get("personal_data") != "withheld"]
    entered = request.headers.get("hx-trigger") == SCAN_FORM or not request.headers.get(
        "hx-request"
    )
    if number.strip() and entered and len(rows) == 1 and len(full) == 1:
        return redirect(request, f"/members/{full[0]['member_id']}")
    if request.headers.get("hx-request"):
        return render(request, "members/_results.html", {"found": found})
    context = {"values": {"number": number, "text": text}, "found": found}
    return render(request, "members/lookup.html", context, desk="members")
