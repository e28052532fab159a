"""A list's Excel export without services: every page read through the API up to the cap, the
sort links of the headings keeping the filters, and the .xlsx layout of a list."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any
from urllib.parse import parse_qs, urlsplit

from console.auth.identity import Identity
from console.auth.sessions import Session
from console.claims.follow import _headings
from console.reports.excel import ListColumn, list_workbook
from console.web.lists import count_stated, every_row, list_scope
from openpyxl import load_workbook


class Pages:
    """The claims API's `GET /claims`, paged, over `n` claims."""

    def __init__(self, n: int) -> None:
        self.n, self.asked = n, []

    async def claims(self, **query: Any) -> dict[str, Any]:
        self.asked.append(query)
        start = (query["page"] - 1) * query["size"]
        items = [{"claim_id": f"c{i}"} for i in range(start, min(start + query["size"], self.n))]
        return {"total": self.n, "page": query["page"], "size": query["size"], "claims": items}


def test_every_page_is_read_with_the_list_s_filters_up_to_the_cap() -> None:
    api = Pages(7)
    total, claims = asyncio.run(
        every_row(api.claims, "claims", {"status": "paid"}, cap=100, size=3)
    )
    assert (total, len(claims)) == (7, 7)
    assert [q["page"] for q in api.asked] == [1, 2, 3]
    assert {q["status"] for q in api.asked} == {"paid"}
    capped = Pages(25)
    total, claims = asyncio.run(every_row(capped.claims, "claims", {}, cap=10, size=4))
    assert (total, [c["claim_id"] for c in claims]) == (25, [f"c{i}" for i in range(10)])
    assert len(capped.asked) == 3  # no page past the cap is asked for
    assert count_stated(25, 25) == ("条数", "25 条")
    assert count_stated(12_345, 10_000)[1] == (
        "共 12,345 条，超过 10,000 条上限，本文件仅含前 10,000 条"
    )


def test_the_headings_link_to_the_list_in_their_order_keeping_the_filters() -> None:
    headings = {
        h["text"]: h for h in _headings({"status": "paid", "filed_from": "", "sort": "-benefit"})
    }
    benefit = headings["互助金"]
    assert (benefit["aria"], benefit["arrow"]) == ("descending", "↓")
    assert parse_qs(urlsplit(benefit["href"]).query) == {"status": ["paid"], "sort": ["benefit"]}
    assert parse_qs(urlsplit(headings["发票金额"]["href"]).query)["sort"] == ["-claimed"]
    assert "href" not in headings["状态"]
    default = {h["text"]: h for h in _headings({"status": ""})}
    assert default["受理日期"]["aria"] == "descending"  # newest first
    assert default["受理日期"]["href"].endswith("sort=filed_on")  # the other way
    queue = {h["text"]: h for h in _headings({"status": "awaiting_approval"})}
    assert queue["受理日期"]["aria"] == "ascending"


def test_a_list_workbook_states_its_filters_and_keeps_amounts_and_dates_typed() -> None:
    columns = [ListColumn("申请号"), ListColumn("受理日期", "date"), ListColumn("互助金", "yuan")]
    rows = [["c1", "2026-05-01", "1234.50"], ["c2", date(2026, 5, 2), None]]
    stated = [("状态", "已支付"), ("条数", "2 条")]
    content = list_workbook("互助保障申请清单", stated, columns, rows, datetime(2026, 5, 3, 9, 30))
    sheet = load_workbook(BytesIO(content)).active
    assert [sheet.cell(row=r, column=1).value for r in range(1, 6)] == [
        "互助保障申请清单", "状态", "条数", "制表时间", None
    ]  # fmt: skip
    assert sheet["B4"].value == "2026-05-03 09:30"
    assert [c.value for c in sheet[6]] == ["申请号", "受理日期", "互助金"]
    assert sheet.freeze_panes == "A7"
    assert sheet["B7"].value == datetime(2026, 5, 1) and sheet["B7"].number_format == "yyyy-mm-dd"
    assert Decimal(str(sheet["C7"].value)) == Decimal("1234.50")
    assert sheet["C7"].number_format == "¥#,##0.00"
    assert sheet["C8"].value is None


def test_counts_are_whole_numbers_and_a_list_is_of_the_district_or_the_city() -> None:
    columns = [ListColumn("活动名称"), ListColumn("库存", "count"), ListColumn("已发放", "count")]
    content = list_workbook("普惠活动清单", [], columns, [["夏送清凉", 10, "1"]], datetime.now())
    sheet = load_workbook(BytesIO(content)).active
    assert [c.value for c in sheet[5]] == ["夏送清凉", 10, 1]
    assert sheet["B5"].number_format == "#,##0"

    def of(role: str, org: str) -> str:
        now = datetime.now()
        return list_scope(Session("s", Identity("a", "u", "名", role, org), now, now, now))

    assert of("clerk", "zhoushan/dinghai/center") == "zhoushan/dinghai"
    assert of("district_officer", "zhoushan/putuo") == "zhoushan/putuo"
    assert of("city_admin", "zhoushan") == "zhoushan"  # the city: no error page
