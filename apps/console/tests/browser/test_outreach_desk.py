"""The outreach desk in a real browser against real members, outreach and console processes: a
Dinghai officer registers a roving point and opens a campaign; a clerk holds a roving session
with three check-ins, hands a campaign item out, and a Putuo clerk is refused a second item for
the same member, told where and when the first was; an enrolment intake comes back accepted
from members; a wage-arrears intake is closed with the wages recovered."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from .conftest import shot
from .desk_platform import DeskPlatform, start_desk_platform
from .list_export import as_shown, downloaded, page_rows, typed
from .test_sign_in_and_accounts import first_sign_in

TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()


@pytest.fixture(scope="module")
def outreach_platform(
    tmp_path_factory: pytest.TempPathFactory, nats_url: str
) -> Iterator[DeskPlatform]:
    root = tmp_path_factory.mktemp("outreach-desk")
    running = start_desk_platform(root, nats_url, ("outreach",))
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


def until(page: Page, check: object, timeout: float = 20.0) -> None:
    """Reload until the locator check passes (a view that follows shortly)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            check()  # type: ignore[operator]
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
            page.reload()


def test_sessions_campaigns_and_intakes_through_the_outreach_desk(
    browser: Browser, outreach_platform: DeskPlatform
) -> None:
    platform = outreach_platform
    member = platform.member(31, "赵磊")
    contexts = []
    officer_ctx, officer = signed_in(
        browser, platform, "dh.officer", "district_officer", "zhoushan/dinghai", "王强"
    )
    clerk_ctx, clerk = signed_in(
        browser, platform, "dh.clerk", "clerk", "zhoushan/dinghai/center", "李娜"
    )
    putuo_ctx, putuo = signed_in(
        browser, platform, "pt.clerk", "clerk", "zhoushan/putuo/center", "周敏"
    )
    pt_officer_ctx, pt_officer = signed_in(
        browser, platform, "pt.officer", "district_officer", "zhoushan/putuo", "孙丽"
    )
    contexts += [officer_ctx, clerk_ctx, putuo_ctx, pt_officer_ctx]
    try:
        # The officer: a roving point, and a summer campaign for outdoor workers.
        officer.goto(platform.url + "/outreach/sessions")
        officer.get_by_label("站点代码").fill("ferry-square")
        officer.get_by_label("站点名称").fill("渡口广场巡回服务点")
        officer.get_by_label("站点类型").select_option(label="巡回服务点")
        officer.get_by_role("button", name="登记站点").click()
        expect(officer.get_by_role("status")).to_contain_text("服务站点已登记")
        until(officer, lambda: expect(officer.locator(".table").last).to_contain_text("渡口广场"))
        pt_officer.goto(platform.url + "/outreach/sessions")
        pt_officer.get_by_label("站点代码").fill("harbour-home")
        pt_officer.get_by_label("站点名称").fill("沈家门港职工之家")
        pt_officer.get_by_label("站点类型").select_option(label="职工之家")
        pt_officer.get_by_role("button", name="登记站点").click()
        expect(pt_officer.get_by_role("status")).to_contain_text("服务站点已登记")
        officer.goto(platform.url + "/outreach/campaigns/new")
        officer.get_by_role("button", name="发布").click()
        expect(officer.locator(".error-summary")).to_contain_text("请填写活动编号")
        officer.get_by_label("活动编号").fill("cool-2026")
        officer.get_by_label("活动名称").fill("夏送清凉")
        officer.get_by_label("活动类型").select_option(label="夏送清凉")
        officer.get_by_label("库存（份）").fill("10")
        officer.get_by_label("户外劳动者").check()
        officer.get_by_label("结束日期").fill((TODAY + timedelta(days=30)).isoformat())
        officer.get_by_role("button", name="发布").click()
        expect(officer.get_by_role("status")).to_contain_text("普惠活动已发布")
        expect(officer.get_by_test_id("stock")).to_contain_text("共 10 份，已发放 0 份")
        shot(officer, "outreach-campaign")

        # The clerk: a session at the point, held, with three check-ins.
        clerk.goto(platform.url + "/outreach/sessions")
        until(clerk, lambda: expect(clerk.get_by_label("服务站点")).to_contain_text("渡口广场"))
        clerk.get_by_label("服务站点").select_option(label="渡口广场巡回服务点")
        clerk.get_by_label("法律援助").check()
        clerk.get_by_label("政策宣传").check()
        clerk.get_by_role("button", name="安排").click()
        expect(clerk.get_by_role("status")).to_contain_text("巡回服务已安排")
        clerk.get_by_label("到场工作人员（人）").fill("3")
        clerk.get_by_role("button", name="登记开展").click()
        expect(clerk.get_by_role("status")).to_contain_text("已登记开展")
        clerk.get_by_label("会员服务卡号或身份证号").fill(member["card_no"])
        clerk.get_by_role("button", name="签到", exact=True).click()
        expect(clerk.get_by_role("status")).to_contain_text("本场累计 1 人次")
        clerk.get_by_label("人数").fill("2")
        clerk.get_by_role("button", name="计入").click()
        expect(clerk.get_by_test_id("person-times")).to_have_text(
            "会员 1 人次，其他 2 人次，合计 3 人次"
        )
        shot(clerk, "outreach-session")
        clerk.get_by_label("会员服务卡号或身份证号").fill(member["card_no"])
        clerk.get_by_role("button", name="签到", exact=True).click()
        expect(clerk.locator(".error-summary")).to_contain_text("已签到")

        # A hand-out at Dinghai, and a second one refused at Putuo, saying where and when.
        clerk.goto(platform.url + "/outreach/campaigns/cool-2026")
        expect(clerk.get_by_label("发放站点")).to_have_value("zhoushan/dinghai/ferry-square")
        clerk.get_by_label("会员服务卡号或身份证号").fill(member["card_no"])
        clerk.get_by_label("会员类别").select_option(label="户外劳动者")
        clerk.get_by_role("button", name="发放").click()
        expect(clerk.get_by_role("status")).to_contain_text("已发放 1 份，剩余 9 份")
        expect(clerk.get_by_test_id("stock")).to_contain_text("已发放 1 份，剩余 9 份")
        putuo.goto(platform.url + "/outreach/campaigns/cool-2026")
        until(putuo, lambda: expect(putuo.get_by_label("发放站点")).to_contain_text("职工之家"))
        putuo.get_by_label("会员服务卡号或身份证号").fill(member["card_no"])
        putuo.get_by_label("会员类别").select_option(label="户外劳动者")
        putuo.get_by_role("button", name="发放").click()
        day = f"{TODAY.year}年{TODAY.month}月{TODAY.day}日"
        expect(putuo.locator(".error-summary")).to_contain_text(
            f"该会员已于{day}在渡口广场巡回服务点领取过本次活动的物品，每人限领一份。"
        )
        expect(putuo.get_by_test_id("stock")).to_contain_text("剩余 9 份")
        shot(putuo, "outreach-hand-out-refused")
        clerk.goto(platform.url + "/outreach/campaigns")  # the list and its Excel: 10, 1, 9
        until(clerk, lambda: expect(clerk.locator(".table tbody td.num").nth(1)).to_have_text("1"))
        shot(clerk, "outreach-campaigns")
        exported_campaigns(clerk)

        # Intakes: an enrolment request comes back accepted from members; wages recovered.
        clerk.goto(platform.url + "/outreach/intakes/new")
        clerk.get_by_label("诉求类型").select_option(label="入会")
        clerk.get_by_label("诉求内容").fill("快递员张三希望入会")
        clerk.get_by_role("button", name="受理").click()
        expect(clerk.get_by_role("status")).to_contain_text("诉求已受理")
        until(clerk, lambda: expect(clerk.get_by_test_id("intake-status")).to_have_text("已接办"))
        expect(clerk.locator(".summary-list")).to_contain_text("已转交会员服务（入会）")
        shot(clerk, "outreach-intake-accepted")
        clerk.goto(platform.url + "/outreach/intakes/new")
        clerk.get_by_label("诉求类型").select_option(label="欠薪")
        clerk.get_by_label("会员服务卡号或身份证号").fill(member["card_no"])
        clerk.get_by_role("button", name="受理").click()
        clerk.get_by_label("办理结果").select_option(label="已追回欠薪")
        clerk.get_by_role("button", name="办结").click()
        expect(clerk.locator(".error-summary")).to_contain_text("请填写金额")
        clerk.get_by_label("办理结果").select_option(label="已追回欠薪")
        clerk.get_by_label("金额（元）").fill("12000")
        clerk.get_by_role("button", name="办结").click()
        expect(clerk.get_by_role("status")).to_contain_text("诉求已办结")
        expect(clerk.locator(".summary-list")).to_contain_text("已追回欠薪（¥12,000.00）")
        clerk.goto(platform.url + "/outreach/intakes")
        until(clerk, lambda: expect(clerk.locator(".table tbody tr")).to_have_count(2))
        shot(clerk, "outreach-intakes")
        exported_intakes(clerk, "全部", 2)
        clerk.get_by_label("办理状态").select_option(label="已办结")
        clerk.get_by_role("button", name="查询").click()
        expect(clerk.locator(".table tbody tr")).to_have_count(1)
        exported_intakes(clerk, "已办结", 1)
    finally:
        for context in contexts:
            context.close()


CAMPAIGN_KINDS = ["text", "text", "date", "date", "text", "count", "count", "count"]
INTAKE_KINDS = ["date", "text", "text", "text", "text", "text"]


def exported_campaigns(clerk: Page) -> None:
    """导出 Excel of 普惠活动: stock, handed out and left as numbers, the rows as the page's."""
    shown = page_rows(clerk, 7)
    export = downloaded(clerk)
    assert export.title == "普惠活动清单" and export.filename.endswith(".xlsx")
    assert export.stated["范围"] == "定海区总工会（含全市性活动）"
    assert export.stated["排序"] == "开始日期从新到旧" and export.stated["条数"] == "1 条"
    assert export.headings == ["活动名称", "类型", "开始日期", "结束日期", "范围", "库存",
                               "已发放", "剩余"]  # fmt: skip
    assert export.rows[0][5:] == [10, 1, 9]
    rows = [as_shown(row, CAMPAIGN_KINDS) for row in export.rows]  # 活动期间: 开始 至 结束
    assert [[*r[:2], f"{r[2]} 至 {r[3]}", *r[4:]] for r in rows] == shown
    typed(export, CAMPAIGN_KINDS)


def exported_intakes(clerk: Page, status: str, count: int) -> None:
    """导出 Excel of 诉求受理 with the list's status filter: no member, no summary."""
    shown = page_rows(clerk, 6)
    export = downloaded(clerk)
    assert export.title == "诉求受理清单"
    assert export.stated["范围"] == "定海区总工会" and export.stated["办理状态"] == status
    assert export.stated["排序"] == "受理日期从新到旧"
    assert export.stated["条数"] == f"{count} 条"
    assert export.headings == ["受理日期", "诉求类型", "受理渠道", "状态", "转交", "办理结果"]
    assert [as_shown(row, INTAKE_KINDS) for row in export.rows] == shown
    assert len(shown) == count
    typed(export, INTAKE_KINDS)
