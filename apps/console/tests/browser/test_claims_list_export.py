"""The claims desk's list (查询) in a real browser, against real members and claims services:
claims filed through the claims API, then a Putuo district officer

- sorts the list on the server by a column heading (互助金, largest first), the order kept
  when the filters change and across pages;
- downloads 导出 Excel and reads it back with openpyxl: the header rows state the list, its
  filters and order in Chinese and when it was made, the heading row is frozen, amounts are
  numbers formatted ¥#,##0.00, dates are dates, statuses are in Chinese, and the rows are
  exactly what the pages show, every page (not only the first).

The sorted list saves a screenshot under docs/console/ (docs/console.md shows it)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from io import BytesIO
from typing import Any

from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect

from .claims_platform import ClaimsPlatform
from .conftest import shot
from .test_claims_desk import signed_in
from .test_reports_desk import DINGHAI, PUTUO, TODAY, file, member, wait_for
from .test_reports_desk import platform as platform

AMOUNTS = [f"{100 + 37 * i}.50" for i in range(23)]  # 23 claims: two pages of 20 and more


def page_rows(page: Page) -> list[list[str]]:
    """The list's rows as shown: 申请号 (its first 8), date, plan, point, district, amounts,
    status."""
    rows = []
    for row in page.locator(".table tbody tr").all():
        cells = [c.inner_text().strip() for c in row.locator("td").all()]
        rows.append(cells[:8])
    return rows


def shown(value: Any, kind: str) -> str:
    """A cell of the Excel file as the page shows it."""
    if value is None:
        return "—"
    if kind == "yuan":
        return f"¥{value:,.2f}"
    if kind == "date":
        return f"{value.year}年{value.month}月{value.day}日"
    if kind == "id":
        return value[:8] + "…"
    return str(value)


def test_a_district_officer_sorts_the_list_and_exports_every_page_of_it_as_excel(
    browser: Browser,
    platform: ClaimsPlatform,
) -> None:
    putuo = [member(platform, PUTUO) for _ in range(3)]
    filed = [file(platform, putuo[i % 3], PUTUO, amount) for i, amount in enumerate(AMOUNTS)]
    late = file(platform, putuo[0], PUTUO, "900.00", discharged=TODAY - timedelta(days=100))
    assert late["status"] == "rejected"
    file(platform, member(platform, DINGHAI), DINGHAI, "5.00")  # not Putuo's: not listed
    assert {c["status"] for c in filed} == {"approved"}

    context, page = signed_in(browser, platform, "putuo-lister", "district_officer", PUTUO,
                              "王列表")  # fmt: skip
    page.goto(platform.url + "/claims/list")

    def all_listed() -> bool:
        page.reload()
        return "共 24 条" in page.locator(".pager").inner_text()

    wait_for(all_listed, "the list never showed the 24 claims")
    heading = page.locator("th", has_text="受理日期")
    expect(heading).to_have_attribute("aria-sort", "descending")  # the default: newest first

    page.get_by_role("link", name="互助金").click()
    expect(page).to_have_url(re.compile(r"sort=-benefit"))
    expect(page.locator("th", has_text="互助金")).to_have_attribute("aria-sort", "descending")
    first = page_rows(page)
    benefits = [Decimal(r[6].lstrip("¥").replace(",", "")) for r in first]
    assert benefits == sorted(benefits, reverse=True) and len(first) == 20
    assert first[0][5] == f"¥{Decimal(AMOUNTS[-1]):,.2f}"  # the largest first

    page.get_by_label("状态").select_option(label="已审核")  # the order is kept by the filter
    page.get_by_role("button", name="查询").click()
    expect(page).to_have_url(re.compile(r"status=approved.*sort=-benefit"))
    expect(page.locator(".pager")).to_contain_text("共 23 条")
    shot(page, "claims-list-sorted")
    shown_rows = page_rows(page)
    page.get_by_role("link", name="下一页").click()
    expect(page.locator(".pager")).to_contain_text("第 2 / 2 页")
    shown_rows += page_rows(page)
    assert len(shown_rows) == 23
    page.get_by_role("link", name="互助金").click()  # again: the other way, from page 1
    expect(page.locator("th", has_text="互助金")).to_have_attribute("aria-sort", "ascending")
    expect(page.locator(".pager")).to_contain_text("第 1 / 2 页")
    assert page_rows(page)[0][6] == shown_rows[-1][6]
    page.go_back()
    page.go_back()  # page 1, largest first, where the export is asked for

    with page.expect_download() as info:
        page.get_by_role("link", name="导出 Excel").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    made = datetime.now()
    sheet = load_workbook(BytesIO(open(download.path(), "rb").read())).active
    assert sheet["A1"].value == "互助保障申请清单"
    stated = {sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=2).value
              for r in range(2, 8)}  # fmt: skip
    assert stated["范围"] == "普陀区总工会"
    assert stated["状态"] == "已审核"
    assert stated["受理日期"] == "不限"
    assert stated["排序"] == "互助金从高到低"
    assert stated["条数"] == "23 条"
    assert stated["制表时间"][:10] in {made.date().isoformat(), TODAY.isoformat()}
    headings = [c.value for c in sheet[9]]
    assert headings == ["申请号", "受理日期", "保障年度", "受理站点", "参保区县", "发票金额",
                        "互助金", "状态"]  # fmt: skip
    assert sheet.freeze_panes == "A10"
    rows = list(sheet.iter_rows(min_row=10))
    assert len(rows) == 23
    kinds = ["id", "date", "text", "text", "text", "yuan", "yuan", "text"]
    for cells, on_page in zip(rows, shown_rows, strict=True):
        assert [shown(c.value, k) for c, k in zip(cells, kinds, strict=True)] == on_page
        assert (
            isinstance(cells[1].value, (date, datetime)) and cells[1].number_format == "yyyy-mm-dd"
        )
        assert isinstance(cells[5].value, (int, float)) and cells[5].number_format == "¥#,##0.00"
        assert cells[6].number_format == "¥#,##0.00"
    assert {c.value for c in sheet["H"][9:]} == {"已审核"}
    ids = {c["claim_id"] for c in filed}
    assert {c.value for c in sheet["A"][9:]} == ids

    page.goto(platform.url + "/claims/list?sort=member_id")  # not a column one may sort by
    expect(page.locator(".error-summary")).to_contain_text("排序方式不正确")
    context.close()
