"""The reports desk (统计报表) in a real browser, against real members and claims services on
one NATS: claims filed, paid and rejected through the services' HTTP APIs, then

- a Putuo district officer sees the claims report for the period showing what the test did
  (and a period that ends before it begins is refused in words);
- the Excel files of the claims and members reports, read back with openpyxl, hold the same
  headers, figures and totals as the services' own report endpoints;
- Shengsi's year after joining city pooling on 1 May, seeded as the union report tells it
  (397 reimbursements, 330,000.00 yuan), reads exactly so on the page and in the Excel file.

Each report page saves a screenshot under docs/console/ (docs/console.md shows them)."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from decimal import Decimal
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from members.domain.national_id import make_national_id
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect

from .claims_platform import ClaimsPlatform, call, start_claims_platform
from .conftest import shot
from .test_claims_desk import signed_in

TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()  # the federation's today
YEAR = TODAY.year
# The year after the district joined city pooling on 1 May (the last 1 May on or before today).
JOINED = date(YEAR, 5, 1) if TODAY >= date(YEAR, 5, 1) else date(YEAR - 1, 5, 1)
POOLING_YEAR_END = date(JOINED.year + 1, 4, 30)
PUTUO, DINGHAI, SHENGSI = "zhoushan/putuo", "zhoushan/dinghai", "zhoushan/shengsi"
UNITS = {d: f"{d}/u-report" for d in (PUTUO, DINGHAI, SHENGSI)}
numbers = itertools.count(1)
people = itertools.count(9000)


def rules(year: int) -> dict[str, Any]:
    """Reimbursed in full (no deductible), approved at once; district pooling until the
    district joined city pooling on 1 May, city pooling after."""
    pooling = [{"level": "city", "effective_from": f"{year}-01-01"}]
    if JOINED.year == year:
        pooling = [
            {"level": "district", "effective_from": f"{year}-01-01"},
            {"level": "city", "effective_from": JOINED.isoformat()},
        ]
    return {
        "pooling": pooling,
        "deductible": "0.00",
        "tiers": [{"up_to": None, "ratio": "1"}],
        "per_claim_cap": "30000.00",
        "annual_cap": "900000.00",
        "deadline_days": 90,
        "auto_approve_below": "5000.00",
    }


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory, nats_url: str) -> Iterator[ClaimsPlatform]:
    running = start_claims_platform(tmp_path_factory.mktemp("reports-desk"), nats_url)
    try:
        admin = running.admin_token()
        assert running.members is not None and running.claims is not None
        for district, unit in UNITS.items():
            body = {"path": unit, "name": f"{district} 报表测试单位工会", "level": "unit"}
            status, answer = call(running.members.url + "/orgs", "POST", admin, body)
            assert status == 201, answer
        for year in {YEAR, YEAR - 1}:
            url = f"{running.claims.url}/plans/inpatient/years/{year}"
            status, answer = call(url, "PUT", admin, rules(year))
            assert status == 200, answer
        hospital = {"name": "舟山医院", "city": "zhoushan"}
        status, answer = call(running.claims.url + "/hospitals/ZS-001", "PUT", admin, hospital)
        assert status in (200, 201), answer
        yield running
    finally:
        running.stop()


def member(platform: ClaimsPlatform, district: str) -> str:
    """A member of a unit of `district`, enrolled for this year and the last, once claims
    heard of the enrolments (over NATS)."""
    assert platform.members is not None and platform.claims is not None
    admin = platform.admin_token()
    body = {"national_id": make_national_id("330902", date(1981, 3, 3), next(people))}
    body |= {"name": "林报表", "phone": "13500000000", "unit": UNITS[district]}
    status, created = call(platform.members.url + "/members", "POST", admin, body)
    assert status == 201, created
    member_id = created["member_id"]
    for year in (YEAR, YEAR - 1):
        known = f"{platform.members.url}/plan-years/inpatient/{year}"
        deadline = time.monotonic() + 20
        while call(known, "GET", admin)[0] != 200:
            assert time.monotonic() < deadline, "members never heard of the plan year"
            time.sleep(0.1)
        url = f"{platform.members.url}/members/{member_id}/enrolments"
        status, answer = call(url, "POST", admin, {"plan_id": "inpatient", "year": year})
        assert status == 201, answer
    return member_id


def file(
    platform: ClaimsPlatform, member_id: str, at: str, amount: str, discharged: date = TODAY
) -> dict[str, Any]:
    """A claim filed at `at`'s service point; its state once decided."""
    assert platform.claims is not None
    admitted = discharged - timedelta(days=3)
    body = {
        "member_id": member_id,
        "service_point": f"{at}/center",
        "plan_id": "inpatient",
        "admitted_on": admitted.isoformat(),
        "discharged_on": discharged.isoformat(),
        "invoices": [
            {"hospital": "ZS-001", "number": f"RPT-{next(numbers)}", "amount": amount,
             "issued_on": discharged.isoformat()}
        ],
    }  # fmt: skip
    admin = platform.admin_token()
    status, filed = call(platform.claims.url + "/claims", "POST", admin, body)
    assert status == 202, filed
    url = f"{platform.claims.url}/claims/{filed['claim_id']}"
    deadline = time.monotonic() + 30
    while True:
        claim = call(url, "GET", admin)[1]
        if claim["status"] in ("approved", "rejected"):
            return claim
        assert time.monotonic() < deadline, f"the claim stayed {claim['status']}"
        time.sleep(0.1)


def pay(platform: ClaimsPlatform, claim_id: str, at: str) -> None:
    assert platform.claims is not None
    url = f"{platform.claims.url}/claims/{claim_id}/payment"
    status, answer = call(url, "POST", platform.admin_token(), {"service_point": f"{at}/center"})
    assert status == 200, answer


def report_endpoints(platform: ClaimsPlatform, period: dict[str, str]) -> dict[str, Any]:
    """The services' own report figures for the city, as the city admin reads them."""
    assert platform.claims is not None and platform.members is not None
    admin = platform.admin_token()
    query = f"from={period['from']}&to={period['to']}"
    out = {}
    for key, url in (
        ("districts", f"{platform.claims.url}/reports/districts?{query}"),
        ("rejections", f"{platform.claims.url}/reports/rejections?{query}"),
        ("settlement", f"{platform.claims.url}/settlements?{query}"),
        ("members", f"{platform.members.url}/reports/districts?{query}"),
    ):
        status, out[key] = call(url, "GET", admin)
        assert status == 200, out[key]
    return out


def wait_for(check: Any, what: str, timeout: float = 30) -> Any:
    """The read models follow the log shortly: poll until `check()` is truthy."""
    deadline = time.monotonic() + timeout
    while not (found := check()):
        assert time.monotonic() < deadline, what
        time.sleep(0.2)
    return found


def cell(page: Page, district: str, key: str) -> str:
    row = page.locator(".report-table tbody tr", has_text=district)
    return row.locator(f'td[data-key="{key}"]').inner_text()


def downloaded(page: Page) -> Any:
    with page.expect_download() as info:
        page.get_by_role("link", name="下载 Excel").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    return load_workbook(BytesIO(open(download.path(), "rb").read())).active


def test_a_district_officer_sees_the_claims_report_matching_what_was_filed_and_paid(
    browser: Browser, platform: ClaimsPlatform
) -> None:
    putuo = [member(platform, PUTUO) for _ in range(2)]
    dinghai = member(platform, DINGHAI)
    paid = [file(platform, putuo[0], PUTUO, "1000.00"), file(platform, putuo[1], PUTUO, "2000.00")]
    paid.append(file(platform, dinghai, PUTUO, "1500.00"))  # city pooling: paid for Dinghai
    file(platform, putuo[0], PUTUO, "3000.00")  # approved, not paid yet
    late = file(platform, putuo[1], PUTUO, "800.00", discharged=TODAY - timedelta(days=100))
    assert late["status"] == "rejected"
    for claim in paid:
        pay(platform, claim["claim_id"], PUTUO)
    period = {"from": f"{YEAR}-01-01", "to": TODAY.isoformat()}

    def settled() -> bool:
        figures = report_endpoints(platform, period)
        row = next((r for r in figures["districts"] if r["district"] == PUTUO), None)
        return bool(row and row["paid"] == 3 and figures["rejections"])

    wait_for(settled, "the claims read models never showed Putuo's three payments")

    context, page = signed_in(browser, platform, "putuo-officer", "district_officer", PUTUO,
                              "普陀审核员")  # fmt: skip
    try:
        page.locator(".menu").get_by_role("link", name="统计报表").click()
        shot(page, "reports-desk")
        page.get_by_role("link", name="互助保障统计报表").click()
        expect(page.locator(".report-meta")).to_contain_text("普陀区总工会")
        expect(page.locator(".report-meta")).to_contain_text(f"{YEAR}年1月1日")
        rows = page.locator(".report-table tbody tr")
        expect(rows).to_have_count(1)  # their district only
        expected = {
            "filed": "5", "paid": "3", "paid_amount": "¥4,500.00", "average": "¥1,500.00",
            "rejected": "1", "rejected_past_deadline": "1", "for_others": "1",
            "for_others_amount": "¥1,500.00", "by_others": "0",
        }  # fmt: skip
        for key, text in expected.items():
            assert cell(page, "普陀区总工会", key) == text, key
        head = page.locator(".report-table thead").inner_text()
        assert "不予报销：超过申报期限" in head
        totals = page.locator(".report-totals")
        expect(totals).to_contain_text("合计")
        expect(totals.locator('td[data-key="paid_amount"]')).to_have_text("¥4,500.00")
        expect(page.locator(".chart canvas").first).to_be_visible()  # ECharts drew
        assert page.locator(".chart[data-chart-drawn]").count() >= 2
        shot(page, "reports-claims-district")
        disposed = page.evaluate(  # a chart an htmx swap took out of the page is disposed
            """() => { const el = document.querySelector('.chart[data-chart-drawn]');
                 const before = !!echarts.getInstanceByDom(el); el.remove();
                 document.dispatchEvent(new Event('htmx:afterSettle'));
                 return [before, echarts.getInstanceByDom(el) === undefined]; }"""
        )
        assert disposed == [True, True]
        page.reload()
        page.emulate_media(media="print")
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")  # as printing does
        expect(page.locator(".sidebar")).to_be_hidden()
        expect(page.locator(".filter-bar")).to_be_hidden()
        shot(page, "reports-claims-print")
        page.emulate_media(media="screen")

        page.get_by_label("开始日期").fill(f"{YEAR}-06-01")
        page.get_by_label("结束日期").fill(f"{YEAR}-05-01")
        page.get_by_role("button", name="查询").click()
        expect(page.locator(".error-summary")).to_contain_text("开始日期")
        expect(page.locator(".error-summary")).to_contain_text("晚于结束日期")
        expect(page.locator(".report-table")).to_have_count(0)
        page.get_by_label("开始日期").fill("2026/05/01")
        page.get_by_role("button", name="查询").click()
        expect(page.locator(".error-summary")).to_contain_text("开始日期格式不正确")
        shot(page, "reports-period-error")
        other = page.goto(platform.url + "/reports/claims.xlsx?start=2026-06-01&end=2026-05-01")
        assert other is not None and other.status == 422
    finally:
        context.close()
    context, page = signed_in(browser, platform, "putuo-clerk", "clerk", f"{PUTUO}/center",
                              "普陀经办员")  # fmt: skip
    try:
        expect(page.locator(".menu")).not_to_contain_text("统计报表")
        refused = page.goto(platform.url + "/reports/claims")
        assert refused is not None and refused.status == 403
        expect(page.locator("#main")).to_contain_text("统计报表由市总管理员和区县审核人员查看")
        shot(page, "reports-forbidden-clerk")
    finally:
        context.close()


def _sheet_rows(sheet: Any) -> list[list[Any]]:
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_the_excel_files_round_trip_against_the_services_report_endpoints(
    browser: Browser, platform: ClaimsPlatform
) -> None:
    dinghai = member(platform, DINGHAI)
    claim = file(platform, dinghai, DINGHAI, "2345.67")
    pay(platform, claim["claim_id"], DINGHAI)
    period = {"from": f"{YEAR}-01-01", "to": TODAY.isoformat()}

    def settled() -> dict[str, Any] | None:
        figures = report_endpoints(platform, period)
        rows = {r["district"]: r for r in figures["districts"]}
        return figures if rows.get(DINGHAI, {}).get("paid", 0) >= 1 else None

    figures = wait_for(settled, "Dinghai's payment never reached the claims report")
    context, page = signed_in(
        browser, platform, "city-admin", "city_admin", "zhoushan", "市总管理员"
    )
    try:
        page.goto(platform.url + f"/reports/claims?start={period['from']}&end={period['to']}")
        expect(page.locator(".report-totals")).to_contain_text("全市合计")
        shot(page, "reports-claims-city")
        sheet = downloaded(page)
        rows = _sheet_rows(sheet)
        assert rows[0][0] == "互助保障统计报表"
        assert rows[1][:2] == [
            "统计期间",
            f"{YEAR}年1月1日 至 {TODAY.year}年{TODAY.month}月{TODAY.day}日",
        ]
        assert rows[2][:2] == ["统计范围", "舟山市总工会（全市）"]
        assert rows[3][0] == "制表时间" and str(rows[3][1]).startswith(TODAY.isoformat())
        headings = rows[5]
        assert headings[:5] == ["区县", "受理件数", "支付笔数", "支付金额", "平均每笔互助金"]
        assert sheet.freeze_panes == "A7"
        names = {"定海区总工会": DINGHAI, "普陀区总工会": PUTUO, "嵊泗县总工会": SHENGSI}
        by_name = {r[0]: dict(zip(headings, r, strict=True)) for r in rows[6:]}
        assert set(by_name) == {*names, "全市合计"}
        endpoint = {r["district"]: r for r in figures["districts"]}
        rejected: dict[str, int] = {}
        for r in figures["rejections"]:
            rejected[r["district"]] = rejected.get(r["district"], 0) + r["claims"]
        for name, path in names.items():
            got, want = by_name[name], endpoint.get(path, {})
            assert got["受理件数"] == want.get("filed", 0), name
            assert got["支付笔数"] == want.get("paid", 0), name
            assert Decimal(str(got["支付金额"])) == Decimal(want.get("paid_amount", "0")), name
            assert got["不予报销件数"] == rejected.get(path, 0), name
            for_others = sum(
                Decimal(f["amount"]) for f in figures["settlement"]["flows"]
                if f["paying_district"] == path and f["insuring_district"] != path
            )  # fmt: skip
            assert Decimal(str(got["代外区县支付金额"])) == for_others, name
        total = by_name["全市合计"]
        assert total["受理件数"] == sum(r["filed"] for r in figures["districts"])
        amount = sum(Decimal(r["paid_amount"]) for r in figures["districts"])
        assert Decimal(str(total["支付金额"])).quantize(Decimal("0.01")) == amount
        totals_row = sheet.max_row
        assert sheet.cell(totals_row, 1).font.b and sheet.cell(totals_row, 4).font.b
        assert sheet.cell(totals_row, 4).number_format == "¥#,##0.00"
        assert sheet.cell(7, 2).number_format == "#,##0"

        page.goto(platform.url + f"/reports/members?start={period['from']}&end={period['to']}")
        expect(page.locator(".report-totals")).to_contain_text("全市合计")
        shot(page, "reports-members-city")
        sheet = downloaded(page)
        rows = _sheet_rows(sheet)
        assert rows[0][0] == "会员统计报表"
        headings = rows[5]
        assert headings[:6] == ["区县", "期末会员数", "新入会", "退会", "转入", "转出"]
        by_name = {r[0]: dict(zip(headings, r, strict=True)) for r in rows[6:]}
        endpoint = {r["district"]: r for r in figures["members"]}
        for name, path in names.items():
            want = endpoint.get(path, {"active": 0, "joined": 0, "enrolled": {}})
            assert by_name[name]["期末会员数"] == want["active"], name
            assert by_name[name]["新入会"] == want["joined"], name
            for year, n in want["enrolled"].items():
                assert by_name[name][f"参保人数（{year}年度）"] == n, (name, year)
        active = sum(r["active"] for r in figures["members"])
        assert by_name["全市合计"]["期末会员数"] == active
        assert sheet.cell(sheet.max_row, 2).font.b
    finally:
        context.close()


def test_shengsi_s_year_after_joining_city_pooling_reads_as_the_union_report_tells_it(
    browser: Browser, platform: ClaimsPlatform
) -> None:
    """397 reimbursements, 330,000.00 yuan in total, paid at Shengsi's service centre after it
    joined city pooling on 1 May (396 × 831.00 + 924.00), for its own members and Dinghai's."""
    with ThreadPoolExecutor(6) as pool:
        insured = list(pool.map(member, [platform] * 6, [SHENGSI] * 4 + [DINGHAI] * 2))
    amounts = ["831.00"] * 396 + ["924.00"]
    assert sum(Decimal(a) for a in amounts) == Decimal("330000.00")

    def reimbursed(i: int) -> None:
        claim = file(platform, insured[i % len(insured)], SHENGSI, amounts[i])
        assert claim["status"] == "approved", claim
        pay(platform, claim["claim_id"], SHENGSI)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(reimbursed, range(len(amounts))))
    period = {"from": JOINED.isoformat(), "to": POOLING_YEAR_END.isoformat()}

    def counted() -> bool:
        rows = {r["district"]: r for r in report_endpoints(platform, period)["districts"]}
        return rows.get(SHENGSI, {}).get("paid") == 397

    wait_for(counted, "Shengsi's 397 payments never all reached the claims report", 60)
    context, page = signed_in(browser, platform, "shengsi-officer", "district_officer", SHENGSI,
                              "嵊泗审核员")  # fmt: skip
    try:
        page.goto(platform.url + f"/reports/claims?start={period['from']}&end={period['to']}")
        assert cell(page, "嵊泗县总工会", "paid") == "397"
        assert cell(page, "嵊泗县总工会", "paid_amount") == "¥330,000.00"
        assert cell(page, "嵊泗县总工会", "filed") == "397"
        assert cell(page, "嵊泗县总工会", "for_others") == str(sum(
            1 for i in range(397) if i % 6 >= 4
        ))  # fmt: skip
        totals = page.locator(".report-totals")
        expect(totals.locator('td[data-key="paid"]')).to_have_text("397")
        expect(totals.locator('td[data-key="paid_amount"]')).to_have_text("¥330,000.00")
        shot(page, "reports-claims-seed")
        sheet = downloaded(page)
        rows = _sheet_rows(sheet)
        assert rows[1][1] == f"{JOINED.year}年5月1日 至 {JOINED.year + 1}年4月30日"
        assert rows[2][1] == "嵊泗县总工会"
        headings = rows[5]
        shengsi, totals_row = dict(zip(headings, rows[6], strict=True)), rows[7]
        assert shengsi["区县"] == "嵊泗县总工会"
        assert shengsi["支付笔数"] == 397
        assert Decimal(str(shengsi["支付金额"])) == Decimal("330000.00")
        assert totals_row[0] == "合计" and totals_row[headings.index("支付笔数")] == 397
        assert Decimal(str(totals_row[headings.index("支付金额")])) == Decimal("330000.00")
        paid_cell = sheet.cell(7, headings.index("支付金额") + 1)
        assert paid_cell.number_format == "¥#,##0.00"

        page.goto(platform.url + f"/reports/members?start={period['from']}&end={period['to']}")
        expect(page.locator(".report-table tbody tr")).to_have_count(1)
        shot(page, "reports-members-district")
    finally:
        context.close()
