"""A desk's list exported as it shows (导出 Excel): every page read through the service's list
API with the list's own filters and order, up to a cap, and the .xlsx answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Final
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import Response
from union_events.orgs import district_of

from ..auth.sessions import Session
from ..reports.excel import ListColumn, list_workbook
from ..reports.framework import made_now

EXPORT_CAP: Final = 10_000  # rows in one Excel file; past it the file and the page say so
EXPORT_PAGE: Final = 500  # the services' largest page (`size`)
XLSX: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def every_row(
    fetch: Callable[..., Awaitable[dict[str, Any]]],
    key: str,
    query: dict[str, Any],
    cap: int = EXPORT_CAP,
    size: int = EXPORT_PAGE,
) -> tuple[int, list[dict[str, Any]]]:
    """(how many rows match, the first `cap` of them): `fetch(**query, page=, size=)` page by
    page, in the list's order; `key` names the rows in the answer (`claims`, ...)."""
    rows: list[dict[str, Any]] = []
    total, page_no = 0, 1
    while len(rows) < cap:
        found = await fetch(**query, page=page_no, size=size)
        total = int(found["total"])
        rows += found[key]
        if not found[key] or len(rows) >= total:
            break
        page_no += 1
    return total, rows[:cap]


def list_scope(session: Session) -> str:
    """The org a desk's list is of, as the services scope a list asked with no district:
    staff at a service point or a unit, their district; a district's, the district; a city
    admin's, the whole city (the 范围 header row names it)."""
    org = session.identity.org.strip("/")
    return district_of(org) if "/" in org else org


def count_stated(total: int, exported: int) -> tuple[str, str]:
    """The 条数 header row: how many, and that the cap cut the list when it did."""
    if total > exported:
        return "条数", f"共 {total:,} 条，超过 {EXPORT_CAP:,} 条上限，本文件仅含前 {exported:,} 条"
    return "条数", f"{total:,} 条"


def list_download(
    request: Request,
    title: str,
    stated: Sequence[tuple[str, str]],
    columns: Sequence[ListColumn],
    rows: Sequence[Sequence[Any]],
    ascii_name: str,
) -> Response:
    """The list as an .xlsx download (`list_workbook`), made now in the federation's time and
    named `<title>_<yyyymmdd-hhmm>.xlsx` (`ascii_name` for old browsers)."""
    made = made_now(request)
    content = list_workbook(title, stated, columns, rows, made)
    name = f"{title}_{made:%Y%m%d-%H%M}.xlsx"
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return Response(content, media_type=XLSX, headers={"Content-Disposition": disposition})
