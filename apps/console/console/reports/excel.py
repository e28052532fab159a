"""A report as an .xlsx (openpyxl): header rows stating the report, the period, the
jurisdiction and when it was made; the column headings frozen; amounts as numbers formatted
¥#,##0.00; the totals row bold. A desk's list the same way (`list_workbook`): header rows
stating the list, its filters and when it was made, then its rows as the pages show them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .framework import Report

YUAN = "¥#,##0.00"
DAY = "yyyy-mm-dd"
THIN = Side(style="thin", color="999999")
LIST_FORMATS = {"yuan": YUAN, "date": DAY, "count": "#,##0"}
HEADER_ROWS = 5  # title, period, jurisdiction, made at, blank; then the column headings


def workbook(report: Report) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = report.title[:31]
    made = report.made_at.strftime("%Y-%m-%d %H:%M") if report.made_at else ""
    sheet.append([report.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["统计期间", report.period.text])
    sheet.append(["统计范围", report.jurisdiction.name])
    sheet.append(["制表时间", made])
    sheet.append([])
    _headings(sheet, ["区县", *(c.label for c in report.columns)])
    for row in [*report.rows, report.totals]:
        sheet.append([row["label"], *(_value(row.get(c.key), c.kind) for c in report.columns)])
        for cell, column in zip(sheet[sheet.max_row][1:], report.columns, strict=True):
            cell.number_format = YUAN if column.kind == "yuan" else "#,##0"
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.border = Border(top=THIN)
    sheet.freeze_panes = sheet.cell(row=HEADER_ROWS + 2, column=1)
    sheet.column_dimensions["A"].width = 18
    for i, column in enumerate(report.columns, start=2):
        sheet.column_dimensions[get_column_letter(i)].width = 16 if column.kind == "yuan" else 12
    return _saved(book)


@dataclass(frozen=True)
class ListColumn:
    label: str
    kind: Literal["text", "date", "yuan", "count"] = "text"
    width: int = 14


def list_workbook(
    title: str,
    stated: Sequence[tuple[str, str]],
    columns: Sequence[ListColumn],
    rows: Sequence[Sequence[Any]],
    made_at: datetime,
) -> bytes:
    """A list as an .xlsx: the title, then one row per `stated` (筛选条件, 排序, 条数 …), when
    it was made, a blank row, the frozen column headings and the rows: amounts (Decimal or
    "1234.50") as numbers formatted ¥#,##0.00, dates (date or "2026-05-01") as dates, counts
    (库存, 已等待天数 …) as whole numbers."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    for name, text in stated:
        sheet.append([name, text])
    sheet.append(["制表时间", made_at.strftime("%Y-%m-%d %H:%M")])
    sheet.append([])
    _headings(sheet, [c.label for c in columns])
    top = sheet.max_row
    for row in rows:
        sheet.append([_cell(value, c.kind) for value, c in zip(row, columns, strict=True)])
        for cell, column in zip(sheet[sheet.max_row], columns, strict=True):
            if column.kind != "text":
                cell.number_format = LIST_FORMATS[column.kind]
    sheet.freeze_panes = sheet.cell(row=top + 1, column=1)
    for i, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = column.width
    return _saved(book)


def _headings(sheet: Any, headings: list[str]) -> None:
    """The column headings' row, appended: bold, shaded, a rule below."""
    sheet.append(headings)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEF2F7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(bottom=THIN)


def _saved(book: Workbook) -> bytes:
    sheet = book.active
    sheet.print_options.horizontalCentered = True
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: Any, kind: str) -> Any:
    if value in (None, ""):
        return None
    if kind == "yuan":
        return Decimal(str(value)).quantize(Decimal("0.01"))
    if kind == "date":
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    if kind == "count":
        return int(value)
    return str(value)


def _value(value: Any, kind: str) -> int | Decimal:
    if kind == "yuan":
        return Decimal(str(value or "0")).quantize(Decimal("0.01"))
    return int(value or 0)
