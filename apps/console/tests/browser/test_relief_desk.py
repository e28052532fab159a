"""The relief desk in a real browser against real members, relief and console processes: a
Dinghai officer sets the minimum living standard and the year's budget; a clerk files a
household under the card line and sees the card rule as relief computed it; the city admin runs
the month's subsidy twice (paid once, and the page says so); a grant is approved within the
budget, paid with its receipt, and an approval past what is left is refused on the page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, BrowserContext, Page, expect

from .conftest import shot
from .desk_platform import DeskPlatform, start_desk_platform
from .list_export import as_shown, downloaded, page_rows, typed
from .test_sign_in_and_accounts import first_sign_in

TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()


@pytest.fixture(scope="module")
def relief_platform(
    tmp_path_factory: pytest.TempPathFactory, nats_url: str
) -> Iterator[DeskPlatform]:
    running = start_desk_platform(tmp_path_factory.mktemp("relief-desk"), nats_url, ("relief",))
    try:
        yield running
    finally:
        running.stop()


def signed_in(
    browser: Browser, platform: DeskPlatform, user: str, role: str, org: str, name: str
) -> tuple[BrowserContext, Page]:
    context = browser.new_context(
        viewport={"width": 1366, "height": 800}, locale="zh-CN", accept_downloads=True
    )
    page = context.new_page()
    first_sign_in(page, platform, user, platform.make_account(user, role, org, name))
    return context, page


def test_a_household_under_the_card_line_gets_a_card_paid_once_a_month_and_grants_keep_the_budget(
    browser: Browser, relief_platform: DeskPlatform
) -> None:
    platform = relief_platform
    member = platform.member(21, "刘芳")
    other = platform.member(22, "何军")
    officer_ctx, officer = signed_in(
        browser, platform, "dh.officer", "district_officer", "zhoushan/dinghai", "王强"
    )
    clerk_ctx, clerk = signed_in(
        browser, platform, "dh.clerk", "clerk", "zhoushan/dinghai/center", "李娜"
    )
    admin_ctx, admin = signed_in(browser, platform, "admin", "city_admin", "zhoushan", "陈建华")
    try:
        # The officer: the district's minimum living standard, then this year's budget.
        officer.goto(platform.url + "/relief")
        shot(officer, "relief-landing")
        officer.get_by_role("link", name="低保标准").first.click()
        expect(officer.locator(".lead")).to_contain_text("尚未设置低保标准")
        officer.get_by_label("低保标准（元/人/月）").fill("八百")
        officer.get_by_role("button", name="保存").click()
        expect(officer.locator(".error-summary")).to_contain_text("请填写每人每月的低保标准")
        officer.get_by_label("低保标准（元/人/月）").fill("800")
        officer.get_by_label("执行日期").fill(f"{TODAY.year}-01-01")
        officer.get_by_role("button", name="保存").click()
        expect(officer.locator(".notice-success")).to_contain_text("低保标准已保存")
        expect(officer.locator(".lead")).to_contain_text("1.3 × 低保 ¥1,040.00")
        shot(officer, "relief-standards")
        officer.goto(platform.url + "/relief/budgets")
        officer.get_by_label("救助类型").select_option(label="生活救助")
        officer.get_by_label("预算金额（元）").fill("3000")
        officer.get_by_role("button", name="保存").click()
        expect(officer.locator(".notice-success")).to_contain_text("年度预算已保存")
        expect(officer.locator(".table tr", has_text="生活救助")).to_contain_text("¥3,000.00")
        shot(officer, "relief-budgets")

        # The clerk files the household: 3 people on 2,340.00 a month, 780.00 a head.
        clerk.goto(platform.url + "/relief/files/new")
        clerk.get_by_role("button", name="建档").click()
        summary = clerk.locator(".error-summary")
        expect(summary).to_contain_text("请至少填写一名家庭成员")
        expect(summary).to_contain_text("请选择困难类别")
        shot(clerk, "relief-file-errors")
        clerk.get_by_label("会员服务卡号或身份证号").fill(member["card_no"])
        clerk.get_by_label("困难类别").select_option(label="深度困难")
        for row, (name, relation, born) in enumerate(
            (("刘芳", "本人", "1978"), ("张强", "配偶", "1976"), ("张小雨", "子女", "2012"))
        ):
            clerk.get_by_label(f"第 {row + 1} 行 姓名").fill(name)
            clerk.get_by_label(f"第 {row + 1} 行 与会员关系").fill(relation)
            clerk.get_by_label(f"第 {row + 1} 行 出生年份").fill(born)
        clerk.get_by_label("家庭月收入（元）").fill("2340")
        clerk.get_by_label("情况说明").fill("配偶因病失去劳动能力")
        clerk.get_by_role("button", name="建档").click()
        expect(clerk.get_by_role("status")).to_contain_text("档案已建立")
        expect(clerk.get_by_test_id("card-rule")).to_have_text(
            "人均月收入 ¥780.00，低于 1.3 × 低保 ¥1,040.00，可办理爱心帮扶证。"
        )
        expect(clerk.locator(".summary-list")).to_contain_text("深度困难")
        expect(clerk.locator(".table")).to_contain_text("张小雨")
        shot(clerk, "relief-file")
        clerk.goto(platform.url + "/relief/files/new")  # the same member again: refused
        clerk.get_by_label("会员服务卡号或身份证号").fill(member["card_no"])
        clerk.get_by_label("困难类别").select_option(label="相对困难")
        clerk.get_by_label("第 1 行 姓名").fill("刘芳")
        clerk.get_by_label("第 1 行 与会员关系").fill("本人")
        clerk.get_by_label("家庭月收入（元）").fill("500")
        clerk.get_by_role("button", name="建档").click()
        expect(clerk.locator(".error-summary")).to_contain_text("已有的档案")
        clerk.goto(platform.url + "/relief/files")
        expect(clerk.locator(".table tbody tr")).to_have_count(1)
        expect(clerk.locator(".table")).to_contain_text("持证")
        shot(clerk, "relief-files")
        exported_files(clerk, "定海区总工会")

        # The city admin: the month's run, twice; the second pays nobody and says so.
        month = TODAY.strftime("%Y-%m")
        admin.goto(platform.url + "/relief/run")
        expect(admin.get_by_label("发放月份")).to_have_value(month)
        admin.get_by_role("button", name="开始发放").click()
        result = admin.get_by_test_id("run-result")
        expect(result).to_contain_text("全市持证 1 张，本次发放 1 人，合计 ¥300.00（每人 ¥300.00）")
        shot(admin, "relief-run")
        admin.get_by_role("button", name="开始发放").click()
        expect(result).to_contain_text("本月补助已发放过，本次没有重复发放（1 人本月已领取）")
        expect(result).to_contain_text("本次发放 0 人")
        next_year = f"{TODAY.year + 1}-{TODAY.month:02d}"
        admin.get_by_label("发放月份").fill(next_year)
        admin.get_by_role("button", name="开始发放").click()
        expect(admin.locator(".error-summary")).to_contain_text(re.compile("尚未开始|未开始"))
        shot(admin, "relief-run-refused")
        admin.goto(platform.url + "/relief/files")  # the city admin's list: the city's files
        exported_files(admin, "舟山市总工会")

        # Grants: 2,000.00 approved, paid and receipted; 1,500.00 then exceeds what is left.
        clerk.goto(platform.url + "/relief/applications/new")
        clerk.get_by_label("会员服务卡号或身份证号").fill(member["card_no"])
        clerk.get_by_label("救助类型").select_option(label="生活救助")
        clerk.get_by_label("申请金额（元）").fill("2000")
        clerk.get_by_role("button", name="提交申请").click()
        expect(clerk.locator(".notice-success")).to_contain_text("救助申请已提交")
        first = clerk.url.split("?")[0]
        officer.goto(first)
        expect(officer.get_by_test_id("budget")).to_contain_text("剩余 ¥3,000.00")
        officer.get_by_role("button", name="批准", exact=True).click()
        expect(officer.locator(".notice-success")).to_contain_text("申请已批准")
        shot(officer, "relief-application-approved")
        clerk.goto(first)
        clerk.get_by_role("button", name="确认发放").click()
        expect(clerk.locator(".notice-success")).to_contain_text("救助金已发放")
        expect(clerk.get_by_test_id("budget")).to_contain_text("剩余 ¥1,000.00")
        clerk.get_by_role("button", name="登记回执").click()
        expect(clerk.locator(".notice-success")).to_contain_text("回执已登记")

        clerk.goto(platform.url + "/relief/applications/new")
        clerk.get_by_label("会员服务卡号或身份证号").fill(other["card_no"])
        clerk.get_by_label("救助类型").select_option(label="生活救助")
        clerk.get_by_label("申请金额（元）").fill("1500")
        clerk.get_by_role("button", name="提交申请").click()
        second = clerk.url.split("?")[0]
        officer.goto(second)
        officer.get_by_role("button", name="批准", exact=True).click()
        expect(officer.locator(".error-summary")).to_contain_text(
            "批准 ¥1,500.00 将超出年度预算：本年度该类救助预算剩余 ¥1,000.00"
        )
        shot(officer, "relief-approval-over-budget")
        officer.get_by_label("批准金额（元）").fill("1000")
        officer.get_by_role("button", name="批准", exact=True).click()
        expect(officer.locator(".notice-success")).to_contain_text("申请已批准")

        clerk.goto(platform.url + "/relief/applications")
        rows = clerk.locator(".table tbody tr")  # (drafts from intakes may be listed too)
        expect(rows.filter(has_text="¥2,000.00")).to_have_count(1)
        expect(rows.filter(has_text="¥1,500.00")).to_have_count(1)
        expect(rows.filter(has_text="¥2,000.00")).to_contain_text("已发放")
        expect(rows.filter(has_text="¥1,500.00")).to_contain_text("已审批")
        shot(clerk, "relief-applications")
        exported_applications(clerk, rows)
    finally:
        for context in (officer_ctx, clerk_ctx, admin_ctx):
            context.close()


def exported_applications(clerk: Page, rows: Any) -> None:
    """导出 Excel: every application the list shows, in its order, read back with openpyxl."""
    shown = [[c.inner_text().strip() for c in r.locator("td").all()][:6] for r in rows.all()]
    with clerk.expect_download() as info:
        clerk.get_by_role("link", name="导出 Excel").click()
    assert info.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(BytesIO(open(info.value.path(), "rb").read())).active
    assert sheet["A1"].value == "救助申请清单"
    stated = {sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=2).value
              for r in range(2, 7)}  # fmt: skip
    assert stated["范围"] == "定海区总工会" and stated["办理状态"] == "全部"
    assert stated["条数"] == f"{len(shown)} 条"
    assert [c.value for c in sheet[8]][:6] == ["申请日期", "救助类型", "区县", "申请金额",
                                              "批准金额", "状态"]  # fmt: skip
    assert sheet.freeze_panes == "A9"
    exported = []
    for cells in sheet.iter_rows(min_row=9):
        day, kind, district, asked, approved, status = (c.value for c in cells)
        assert cells[3].number_format == "¥#,##0.00" and cells[0].number_format == "yyyy-mm-dd"
        exported.append([
            f"{day.year}年{day.month}月{day.day}日", kind, district,
            f"¥{asked:,.2f}" if asked is not None else "—",
            f"¥{approved:,.2f}" if approved is not None else "—", status,
        ])  # fmt: skip
    assert exported == shown


FILE_KINDS = ["id8", "text", "text", "count", "yuan", "text", "date", "text"]


def exported_files(page: Page, scope: str) -> None:
    """导出 Excel of 困难职工档案: the header rows state the list, and the rows are the page's."""
    shown = page_rows(page, 8)
    export = downloaded(page)
    assert export.filename.endswith(".xlsx") and export.title == "困难职工档案清单"
    assert export.stated["范围"] == scope and export.stated["排序"] == "建档日期从旧到新"
    assert export.stated["条数"] == "1 条"
    assert export.headings == ["档案号", "区县", "困难类别", "家庭人数", "人均月收入",
                               "爱心帮扶证", "复核到期", "状态"]  # fmt: skip
    assert [as_shown(row, FILE_KINDS) for row in export.rows] == shown
    assert export.rows[0][2:6] == ["深度困难", 3, 780, "持证"]  # no member, no household
    typed(export, FILE_KINDS)


def test_a_clerk_cannot_set_the_standard_or_run_the_month_and_is_told_why(
    browser: Browser, relief_platform: DeskPlatform
) -> None:
    context, clerk = signed_in(
        browser, relief_platform, "pt.clerk", "clerk", "zhoushan/putuo/center", "周敏"
    )
    try:
        clerk.goto(relief_platform.url + "/relief/standards")
        expect(clerk.locator("main")).to_contain_text("低保标准由区县审核人员设置")
        clerk.goto(relief_platform.url + "/relief/run")
        expect(clerk.locator("main")).to_contain_text("月度发放由市总管理员统一办理")
        clerk.goto(relief_platform.url + "/relief")
        expect(clerk.locator(".desk-grid")).not_to_contain_text("月度发放")
    finally:
        context.close()
