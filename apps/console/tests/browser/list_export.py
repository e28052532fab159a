"""A desk list's 导出 Excel in the browser tests: click it, read the file back with openpyxl,
and turn its cells into the text the page shows, so a test compares the two row by row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from typing import Any

from openpyxl import load_workbook
from playwright.sync_api import Page

FORMATS = {"yuan": "¥#,##0.00", "date": "yyyy-mm-dd", "count": "#,##0"}


@dataclass
class Export:
    filename: str
    title: str
    stated: dict[str, str]  # the header rows: 范围, 办理状态, 排序, 条数, 制表时间 …
    headings: list[str]
    rows: list[list[Any]]
    formats: list[list[str]]
    frozen: str | None


def downloaded(page: Page) -> Export:
    """Click 导出 Excel on the page and read the file back."""
    with page.expect_download() as info:
        page.get_by_role("link", name="导出 Excel").click()
    sheet = load_workbook(BytesIO(open(info.value.path(), "rb").read())).active
    stated, row = {}, 2
    while sheet.cell(row=row, column=1).value is not None:
        stated[sheet.cell(row=row, column=1).value] = sheet.cell(row=row, column=2).value
        row += 1
    cells = list(sheet.iter_rows(min_row=row + 2))
    return Export(
        info.value.suggested_filename,
        sheet["A1"].value,
        stated,
        [c.value for c in sheet[row + 1]],
        [[c.value for c in r] for r in cells],
        [[c.number_format for c in r] for r in cells],
        sheet.freeze_panes,
    )


def page_rows(page: Page, columns: int) -> list[list[str]]:
    """The list's rows as shown, their first `columns` cells (not the 操作 link)."""
    return [
        [c.inner_text().strip() for c in row.locator("td").all()][:columns]
        for row in page.locator(".table tbody tr").all()
    ]


def as_shown(row: list[Any], kinds: list[str]) -> list[str]:
    """An exported row as the page writes it: ¥1,234.50, 2026年5月1日, — for nothing; `id8`
    the first 8 of an id, `id8…` with the ellipsis, `waited` as 已等待 N 天."""
    return [_shown(value, kind) for value, kind in zip(row, kinds, strict=True)]


def _shown(value: Any, kind: str) -> str:
    if value is None:
        return "—"
    if kind == "yuan":
        return f"¥{value:,.2f}"
    if kind == "date":
        assert isinstance(value, (date, datetime)), value
        return f"{value.year}年{value.month}月{value.day}日"
    if kind == "count":
        assert isinstance(value, int), value
        return str(value)
    if kind == "waited":
        assert isinstance(value, int), value
        return f"已等待 {value} 天"
    if kind.startswith("id8"):
        return value[:8] + kind[3:]
    return str(value)


def typed(export: Export, kinds: list[str]) -> None:
    """Amounts, dates and counts carry their number formats (¥#,##0.00 …), cell by cell."""
    for formats in export.formats:
        for number_format, kind in zip(formats, kinds, strict=True):
            kind = "count" if kind == "waited" else kind
            if kind in FORMATS:
                assert number_format == FORMATS[kind], (kind, number_format)
