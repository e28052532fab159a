"""The reports framework without services: the period read from the page's fields (Chinese
reasons, never an exception), the totals row, and the .xlsx layout."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from types import SimpleNamespace
from typing import Any

from console.reports.excel import workbook
from console.reports.framework import Column, Jurisdiction, Period, Report, read_period
from openpyxl import load_workbook

REQUEST: Any = SimpleNamespace(
    app=SimpleNamespace(state=SimpleNamespace(settings=SimpleNamespace(timezone="Asia/Shanghai")))
)


def test_a_period_ending_before_it_begins_or_badly_written_is_a_chinese_reason() -> None:
    period, problems = read_period(REQUEST, "2026-06-01", "2026-05-01")
    assert period is None
    assert problems.fields["start"] == (
        "开始日期（2026年6月1日）晚于结束日期（2026年5月1日），请重新选择统计期间"
    )
    period, problems = read_period(REQUEST, "2026/06/01", "")
    assert period is None and "开始日期格式不正确" in problems.fields["start"]
    period, problems = read_period(REQUEST, "2026-05-01", "2026-05-01")
    assert period == Period(date(2026, 5, 1), date(2026, 5, 1)) and not problems
    period, _ = read_period(REQUEST, "", "")
    assert period is not None and period.start == date(period.end.year, 1, 1)


def report() -> Report:
    where = Jurisdiction(
        "舟山市总工会（全市）", [("a", "定海区总工会"), ("b", "普陀区总工会")], True
    )
    columns = [Column("paid", "支付笔数"), Column("amount", "支付金额", "yuan")]
    rows = [
        {"label": "定海区总工会", "paid": 396, "amount": Decimal("329076.00")},
        {"label": "普陀区总工会", "paid": 1, "amount": Decimal("924.00")},
    ]
    made = datetime(2026, 12, 2, 9, 30)
    period = Period(date(2026, 5, 1), date(2027, 4, 30))
    return Report("claims", "互助保障统计报表", period, where, columns, rows, "", made_at=made)


def test_the_totals_row_sums_and_the_workbook_states_what_it_is() -> None:
    r = report()
    assert r.totals == {"label": "全市合计", "paid": 397, "amount": Decimal("330000.00")}
    sheet = load_workbook(BytesIO(workbook(r))).active
    rows = [list(x) for x in sheet.iter_rows(values_only=True)]
    assert rows[:4] == [
        ["互助保障统计报表", None, None],
        ["统计期间", "2026年5月1日 至 2027年4月30日", None],
        ["统计范围", "舟山市总工会（全市）", None],
        ["制表时间", "2026-12-02 09:30", None],
    ]
    assert rows[5] == ["区县", "支付笔数", "支付金额"]
    assert rows[8] == ["全市合计", 397, 330000]
    assert sheet.freeze_panes == "A7"
    assert sheet["C9"].number_format == "¥#,##0.00" and sheet["C9"].font.b
    assert sheet["B7"].number_format == "#,##0"
