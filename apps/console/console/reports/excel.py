"""A report as an .xlsx (openpyxl): header rows stating the report, the period, the
jurisdiction and when it was made; the column headings frozen; amounts as numbers formatted
¥#,##0.00; the totals row bold."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .framework import Report

YUAN = "¥#,##0.00"
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
    headings = ["区县", *(c.label for c in report.columns)]
    sheet.append(headings)
    thin = Side(style="thin", color="999999")
    for cell in sheet[HEADER_ROWS + 1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEF2F7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(bottom=thin)
    for row in [*report.rows, report.totals]:
        sheet.append([row["label"], *(_value(row.get(c.key), c.kind) for c in report.columns)])
        for cell, column in zip(sheet[sheet.max_row][1:], report.columns, strict=True):
            cell.number_format = YUAN if column.kind == "yuan" else "#,##0"
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.border = Border(top=thin)
    sheet.freeze_panes = sheet.cell(row=HEADER_ROWS + 2, column=1)
    sheet.column_dimensions["A"].width = 18
    for i, column in enumerate(report.columns, start=2):
        sheet.column_dimensions[get_column_letter(i)].width = 16 if column.kind == "yuan" else 12
    sheet.print_options.horizontalCentered = True
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _value(value: Any, kind: str) -> int | Decimal:
    if kind == "yuan":
        return Decimal(str(value or "0")).quantize(Decimal("0.01"))
    return int(value or 0)
