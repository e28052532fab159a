"""The claims desk in a real browser, against real members and claims services on one NATS:
the city admin sets up hospitals and the plan year, a Putuo clerk files a Dinghai member's
claim with two invoices, a Putuo officer approves it, pooling refuses it at Putuo, a Shengsi
clerk pays it under city pooling and downloads the receipt PDF, a second payment is refused,
the claim's timeline names who acted, and the settlement shows Shengsi paid for Dinghai.

Each page saves a screenshot under docs/console/ (docs/console.md shows them)."""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from .claims_platform import ClaimsPlatform, call, start_claims_platform
from .conftest import shot
from .list_export import as_shown, downloaded, page_rows, typed
from .test_sign_in_and_accounts import first_sign_in

TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()  # the federation's today
ADMITTED = TODAY - timedelta(days=12)
DISCHARGED = TODAY - timedelta(days=5)
YEAR = ADMITTED.year


@pytest.fixture(scope="module")
def claims_platform(
    tmp_path_factory: pytest.TempPathFactory, nats_url: str
) -> Iterator[ClaimsPlatform]:
    running = start_claims_platform(tmp_path_factory.mktemp("claims-desk"), nats_url)
    try:
        yield running
    finally:
        running.stop()


def signed_in(browser: Browser, platform: ClaimsPlatform, user: str, role: str, org: str,
              name: str) -> tuple[BrowserContext, Page]:  # fmt: skip
    """A browser of its own for one staff member, signed in (first password changed)."""
    context = browser.new_context(
        viewport={"width": 1366, "height": 800}, locale="zh-CN", accept_downloads=True
    )
    page = context.new_page()
    first_sign_in(page, platform, user, platform.make_account(user, role, org, name))
    return context, page


def set_up_hospitals(page: Page, platform: ClaimsPlatform) -> None:
    page.goto(platform.url + "/claims/hospitals")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".error-summary")).to_contain_text("请填写医院代码")
    hospitals = (("ZS-001", "舟山医院", ""), ("PT-002", "普陀医院", "普陀区总工会"))
    for code, name, district in hospitals:
        page.get_by_label("医院代码").fill(code)
        page.get_by_label("医院名称").fill(name)
        if district:
            page.get_by_label("所在区县").select_option(label=district)
        page.get_by_role("button", name="保存").click()
        expect(page.locator(".notice-success")).to_contain_text("医院已保存")
    deadline = time.monotonic() + 15  # the registry's list is a view: it follows shortly
    while "普陀医院" not in page.locator(".table").inner_text():
        assert time.monotonic() < deadline, "the hospital list never showed 普陀医院"
        time.sleep(0.3)
        page.reload()
    shot(page, "claims-hospitals")


def set_up_plan_year(page: Page, platform: ClaimsPlatform) -> None:
    page.goto(platform.url + f"/claims/plans?plan_id=inpatient&year={YEAR}")
    expect(page.locator(".notice-info")).to_contain_text("尚未设置规则")
    expect(page.get_by_label("第 1 段生效日期")).to_have_value(f"{YEAR}-01-01")
    page.get_by_label("起付线（元）").fill("500.00")
    page.get_by_label("第 1 档上限").fill("5000.00")
    page.get_by_label("第 1 档报销比例").fill("150")  # a mistake the service refuses
    page.get_by_label("第 2 档报销比例").fill("70")
    page.get_by_label("单次封顶（元）").fill("60000.00")
    page.get_by_label("年度封顶（元）").fill("50000.00")
    page.get_by_label("申报期限（天）").fill("90")
    page.get_by_label("自动审核金额（元）").fill("1000.00")
    page.locator("#f-required_documents").get_by_label("住院结算单").check()
    page.get_by_role("button", name="保存规则").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("第 1 档：报销比例应为 0 到 100 之间的百分数")
    expect(page.locator(".form-error").first).to_be_visible()
    shot(page, "claims-plan-year-errors")
    page.get_by_label("第 1 档报销比例").fill("50")
    page.get_by_role("button", name="保存规则").click()
    expect(page.locator(".error-summary")).to_contain_text("单次封顶不能高于年度封顶")
    page.get_by_label("单次封顶（元）").fill("30000.00")
    page.get_by_role("button", name="保存规则").click()
    expect(page.locator(".notice-success")).to_contain_text("保障年度规则已保存")
    expect(page.get_by_label("第 1 档报销比例")).to_have_value("50")
    required = page.locator("#f-required_documents")
    expect(required.get_by_label("住院结算单")).to_be_checked()  # read back as saved
    expect(required.get_by_label("出院记录")).not_to_be_checked()
    shot(page, "claims-plan-year")


def file_claim(page: Page, platform: ClaimsPlatform, member: dict[str, str]) -> str:
    page.get_by_role("link", name="互助保障").first.click()
    expect(page.locator(".tabs")).not_to_contain_text("待审核")  # not for a clerk
    shot(page, "claims-desk-clerk")
    page.locator(".tabs").get_by_role("link", name="受理").click()
    member_field = page.get_by_label("会员服务卡号或身份证号")
    member_field.fill(member["card_no"])
    member_field.press("Enter")  # as a card reader does: looks up, never files
    found = page.get_by_test_id("member-found")
    expect(found).to_contain_text("周*")  # a Dinghai member: withheld, the surname only
    expect(found).to_contain_text("其他区县会员")
    expect(found).to_contain_text(member["national_id"][:6] + "********")
    expect(found).not_to_contain_text("周海")
    page.get_by_role("button", name="提交受理").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("请填写入院日期")
    expect(summary).to_contain_text("请至少录入一张发票")
    documents = page.locator("#f-documents")  # no date yet: this year's rules say what is due
    if TODAY.year == YEAR:
        expect(documents.locator("label", has_text="住院结算单")).to_contain_text("必交")
        expect(documents.locator("label", has_text="出院记录")).not_to_contain_text("必交")
    shot(page, "claims-file-errors")

    page.get_by_label("入院日期").fill(ADMITTED.isoformat())
    page.get_by_label("出院日期").fill(DISCHARGED.isoformat())
    rows = (
        ("ZS-001", "FP-2026-0001", "4000.00"),
        ("PT-002", "FP-2026-0002", "2230.00"),
        ("PT-002", "FP-2026-0099", "1.00"),  # a row entered by mistake, removed
    )
    for i, (hospital, number, amount) in enumerate(rows):
        if i:
            page.get_by_role("button", name="＋ 添加一张发票").click()
        page.locator(f"#f-inv-{i}-hospital").select_option(hospital)
        page.locator(f"#f-inv-{i}-number").fill(number)
        page.locator(f"#f-inv-{i}-amount").fill(amount)
        page.locator(f"#f-inv-{i}-issued_on").fill(DISCHARGED.isoformat())
    expect(page.locator(".invoice-row")).to_have_count(3)
    page.locator(".invoice-row").nth(2).get_by_role("button", name="删除").click()
    expect(page.locator(".invoice-row")).to_have_count(2)
    expect(page.locator("#f-inv-1-number")).to_have_value("FP-2026-0002")
    expect(documents.locator("label", has_text="住院结算单")).to_contain_text("必交")  # of YEAR
    page.get_by_label("住院结算单").check()
    page.get_by_label("出院记录").check()
    shot(page, "claims-file")
    page.get_by_role("button", name="提交受理").click()

    expect(page.locator(".panel-title")).to_have_text("互助金申请已受理")
    claim_id = page.get_by_test_id("claim-id").inner_text()
    page.evaluate("window.stillThisPage = true")
    expect(page.get_by_test_id("status")).to_have_text("已核算", timeout=30_000)  # htmx polls
    assert page.evaluate("window.stillThisPage === true")  # no reload
    breakdown = page.get_by_test_id("breakdown")
    expect(breakdown).to_contain_text("起付线")
    expect(breakdown).to_contain_text("−¥500.00")
    expect(breakdown).to_contain_text("¥5,000.00 × 报销比例 50%")
    expect(breakdown).to_contain_text("¥730.00 × 报销比例 70%")
    expect(page.get_by_test_id("benefit")).to_have_text("¥3,011.00")
    expect(page.locator("#progress")).to_contain_text("等待区县审核人员审核")
    expect(page.locator(".lead")).to_contain_text("凭会员服务卡")  # how the member collects
    shot(page, "claims-filed")
    page.emulate_media(media="print")  # 打印受理回执: the claim number and content, no desk
    expect(page.get_by_role("button", name="打印受理回执")).to_be_hidden()
    expect(page.locator(".tabs")).to_be_hidden()
    expect(page.get_by_test_id("claim-id")).to_be_visible()
    shot(page, "claims-filed-print")
    page.emulate_media(media="screen")
    return claim_id


def approve(page: Page, claim_id: str) -> None:
    page.get_by_role("link", name="互助保障").first.click()
    shot(page, "claims-desk-officer")
    page.locator(".tabs").get_by_role("link", name="待审核").click()
    row = page.locator(".table tbody tr").first
    expect(row).to_contain_text("已等待 0 天")
    expect(row).to_contain_text("¥3,011.00")
    shot(page, "claims-review-queue")
    exported_queue(page, claim_id)
    row.get_by_role("link", name="审核").click()
    expect(page.locator(".summary-list")).to_contain_text(claim_id)
    page.get_by_role("button", name="不予支付").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("请选择不予支付的原因")
    expect(summary).to_contain_text("请填写说明")
    shot(page, "claims-review-errors")
    options = page.get_by_label("原因", exact=True).locator("option").all_inner_texts()
    assert "未达起付线" in options and "发票已报销" in options
    page.get_by_role("button", name="审核通过").click()
    expect(page.locator(".notice-success")).to_contain_text("已审核通过")
    expect(page.locator(".table")).to_contain_text("没有待审核的申请")


QUEUE_KINDS = ["date", "waited", "id8…", "text", "text", "text", "yuan", "yuan"]


def exported_queue(page: Page, claim_id: str) -> None:
    """导出 Excel of 待审核: oldest first, the days waited as a number, the rows the page's."""
    shown = page_rows(page, 8)
    export = downloaded(page)
    assert export.title == "待审核申请清单" and export.filename.endswith(".xlsx")
    assert export.stated["范围"] == "普陀区总工会（本区县受理或参保的）"
    assert export.stated["排序"] == "受理日期从旧到新，先受理的先审核"
    assert export.stated["条数"] == "1 条"
    assert export.headings == ["受理日期", "已等待（天）", "申请号", "保障年度", "受理站点",
                               "参保区县", "发票金额", "核算互助金"]  # fmt: skip
    assert export.frozen == "A10"  # title, 5 stated rows, 制表时间, blank, headings (row 9)
    assert [as_shown(row, QUEUE_KINDS) for row in export.rows] == shown
    assert export.rows[0][1:3] == [0, claim_id] and export.rows[0][7] == 3011
    typed(export, QUEUE_KINDS)


def test_a_claim_filed_in_putuo_is_approved_and_paid_in_shengsi(
    browser: Browser, claims_platform: ClaimsPlatform, tmp_path: Path
) -> None:
    platform = claims_platform
    admin_ctx, admin = signed_in(browser, platform, "city.admin", "city_admin", "zhoushan", "林海")
    clerk_ctx, clerk = signed_in(
        browser, platform, "putuo.clerk", "clerk", "zhoushan/putuo/center", "李娜"
    )
    officer_ctx, officer = signed_in(
        browser, platform, "putuo.officer", "district_officer", "zhoushan/putuo", "王强"
    )
    payer_ctx, payer = signed_in(
        browser, platform, "shengsi.clerk", "clerk", "zhoushan/shengsi/center", "赵敏"
    )
    try:
        set_up_hospitals(admin, platform)
        set_up_plan_year(admin, platform)
        member = platform.enrolled_member(1, "周海", "inpatient", YEAR)
        claim_id = file_claim(clerk, platform, member)
        approve(officer, claim_id)

        # district pooling: the filing point may read the claim but not pay it
        clerk.goto(platform.url + "/claims/pay")
        clerk.get_by_label("申请号").fill(claim_id)
        clerk.get_by_role("button", name="按申请号查找").click()
        clerk.locator(".table").get_by_role("link", name="支付").click()
        expect(clerk.get_by_test_id("pay-amount")).to_have_text("¥3,011.00")
        refusal = clerk.get_by_test_id("pay-refusal")  # said at once: not a mistake to fix
        expect(refusal).to_contain_text("本站点不能支付该申请")
        expect(refusal).to_contain_text("本计划当前为区级统筹，只有参保区县的服务站点可以支付")
        expect(refusal).to_contain_text("该会员的参保区县是定海区总工会")
        expect(refusal).to_contain_text("到定海区总工会的服务站点领取")
        expect(clerk.locator(".error-summary")).to_have_count(0)
        expect(clerk.get_by_role("button", name=re.compile("确认支付"))).to_have_count(0)
        expect(clerk.get_by_role("link", name="返回支付查询")).to_be_visible()
        shot(clerk, "claims-pay-refused-pooling")

        # district pooling: at Shengsi the member's card finds nothing to pay, and says why
        payer.goto(platform.url + "/claims/pay")
        payer.get_by_label("会员服务卡号或身份证号").fill(member["card_no"])
        payer.get_by_role("button", name="按会员查找").click()
        why = payer.get_by_test_id("why-none")
        expect(why).to_contain_text("本计划当前为区级统筹，只有参保区县的服务站点可以支付")
        expect(why).to_contain_text("该会员的参保区县是定海区总工会")
        expect(payer.locator(".table").first).to_contain_text("没有可在本站点支付的申请")
        shot(payer, "claims-pay-none-pooling")

        # the city admin moves the plan to city pooling from today
        admin.goto(platform.url + f"/claims/plans?plan_id=inpatient&year={YEAR}")
        admin.get_by_label("第 2 段统筹层级").select_option("city")
        admin.get_by_label("第 2 段生效日期").fill(TODAY.isoformat())
        admin.get_by_role("button", name="保存规则").click()
        expect(admin.locator(".notice-success")).to_contain_text("保障年度规则已保存")

        payer.goto(platform.url + "/claims/pay")
        shot(payer, "claims-pay-search")
        payer.get_by_label("会员服务卡号或身份证号").fill(member["card_no"])
        payer.get_by_label("会员服务卡号或身份证号").press("Enter")
        expect(payer.get_by_test_id("pay-member")).to_contain_text("周*")
        expect(payer.get_by_test_id("pay-member")).to_contain_text("其他区县会员")
        expect(payer.locator(".table").first).to_contain_text(claim_id)
        expect(payer.locator(".table").first).to_contain_text("已审核")
        shot(payer, "claims-pay-found")
        payer.locator(".table").first.get_by_role("link", name="支付").click()
        expect(payer.locator(".summary-list")).to_contain_text("嵊泗县职工服务中心（本站点）")
        shot(payer, "claims-pay-confirm")
        second = payer_ctx.new_page()  # the same page open in a second window
        second.goto(payer.url)
        payer.get_by_role("button", name="确认支付 ¥3,011.00").click()

        receipt = payer.get_by_test_id("receipt")
        expect(receipt).to_contain_text("报销凭证")
        expect(receipt).to_contain_text(claim_id)
        expect(receipt).to_contain_text("¥3,011.00")
        expect(receipt).to_contain_text("¥6,230.00（2 张）")
        expect(receipt).to_contain_text("定海区总工会")
        expect(receipt).to_contain_text("嵊泗县总工会")
        expect(receipt).to_contain_text("赵敏")
        masked_id = member["national_id"][:6] + "********" + member["national_id"][-4:]
        expect(receipt).to_contain_text("周*")  # as members shows them to Shengsi
        expect(receipt).to_contain_text(masked_id)
        shot(payer, "claims-receipt")
        payer.emulate_media(media="print")
        expect(payer.locator(".sidebar")).to_be_hidden()
        shot(payer, "claims-receipt-print")
        payer.emulate_media(media="screen")
        with payer.expect_download() as download:
            payer.get_by_role("link", name="下载 PDF").click()
        pdf = tmp_path / "receipt.pdf"
        download.value.save_as(pdf)
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert claim_id in text and "¥3,011.00" in text and "报销凭证" in text, text
        assert "嵊泗县职工服务中心" in text and "赵敏" in text
        assert "周*" in text and masked_id in text and member["national_id"] not in text

        second.get_by_role("button", name="确认支付 ¥3,011.00").click()
        expect(second.locator(".error-summary")).to_contain_text("该互助金申请已支付，不能重复支付")
        shot(second, "claims-pay-refused-paid")

        clerk.goto(platform.url + "/claims/list")
        expect(clerk.locator(".pager")).to_contain_text("共 1 条")
        expect(clerk.locator(".table tbody")).to_contain_text("已支付")
        yesterday = (TODAY - timedelta(days=1)).isoformat()
        clerk.get_by_label("受理日期从").fill(yesterday)  # a period: both days included
        clerk.get_by_label("至", exact=True).fill(TODAY.isoformat())
        clerk.get_by_role("button", name="查询").click()
        expect(clerk.locator(".pager")).to_contain_text("共 1 条")
        expect(clerk.get_by_label("受理日期从")).to_have_value(yesterday)
        clerk.get_by_label("受理日期从").fill((TODAY + timedelta(days=1)).isoformat())
        clerk.get_by_role("button", name="查询").click()  # ends before it begins
        expect(clerk.locator(".error-summary")).to_contain_text("结束日期不能早于开始日期")
        clerk.get_by_label("受理日期从").fill(TODAY.isoformat())
        clerk.get_by_label("至", exact=True).fill("")
        clerk.get_by_role("button", name="查询").click()
        expect(clerk.locator(".pager")).to_contain_text("共 1 条")
        clerk.get_by_label("受理日期从").fill("")
        clerk.get_by_label("至", exact=True).fill(yesterday)
        clerk.get_by_role("button", name="查询").click()
        expect(clerk.locator(".table tbody")).to_contain_text("没有符合条件的申请")
        clerk.get_by_label("受理日期从").fill(yesterday)
        clerk.get_by_label("至", exact=True).fill(TODAY.isoformat())
        clerk.get_by_role("button", name="查询").click()
        shot(clerk, "claims-list")
        clerk.locator(".table").get_by_role("link", name="查看").click()
        steps = clerk.get_by_test_id("timeline")
        expect(steps).to_contain_text("受理")
        filed = steps.locator("tr", has_text="受理").first
        expect(filed).to_contain_text("李娜")
        expect(filed).to_contain_text(re.compile(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}"))
        expect(filed).to_contain_text("普陀区职工服务中心")
        expect(steps.locator("tr", has_text="审核通过")).to_contain_text("王强")
        expect(steps.locator("tr", has_text="支付")).to_contain_text("赵敏")
        expect(steps.locator("tr", has_text="支付")).to_contain_text("嵊泗县职工服务中心")
        shot(clerk, "claims-detail")

        admin.goto(platform.url + "/claims/settlements")
        flows = admin.locator(".table").first
        expect(flows).to_contain_text("嵊泗县总工会")
        expect(flows).to_contain_text("¥3,011.00")
        expect(admin.locator(".table").nth(1)).to_contain_text("-¥3,011.00")
        shot(admin, "claims-settlements")
        admin.get_by_label("开始日期").fill(TODAY.isoformat())
        admin.get_by_label("结束日期").fill((TODAY - timedelta(days=1)).isoformat())
        admin.get_by_role("button", name="查询").click()
        expect(admin.locator(".error-summary")).to_contain_text("结束日期不能早于开始日期")
        expect(admin.locator("#f-end-error")).to_be_visible()
        shot(admin, "claims-settlements-errors")
    finally:
        for ctx in (admin_ctx, clerk_ctx, officer_ctx, payer_ctx):
            ctx.close()


def test_a_clerk_is_told_why_the_review_queue_is_not_for_them(
    browser: Browser, claims_platform: ClaimsPlatform
) -> None:
    ctx, page = signed_in(
        browser, claims_platform, "dinghai.clerk", "clerk", "zhoushan/dinghai/center", "张伟"
    )
    try:
        response = page.goto(claims_platform.url + "/claims/review")
        assert response is not None and response.status == 403
        expect(page.locator("h1")).to_have_text("无权访问此页面")
        lead = page.locator(".lead")
        expect(lead).to_contain_text("待审核仅限区县审核人员使用")
        expect(lead).to_contain_text("您的角色是“窗口经办人员”")
        shot(page, "claims-review-forbidden-clerk")
        page.goto(claims_platform.url + "/claims")
        expect(page.locator(".tabs")).not_to_contain_text("待审核")
        expect(page.locator(".tabs")).not_to_contain_text("保障年度")
        assert re.search("受理", page.locator(".tabs").inner_text())
    finally:
        ctx.close()


def ensure_rules(platform: ClaimsPlatform) -> None:
    """The hospital and the plan year the first test sets through the pages (this test may
    run alone)."""
    assert platform.claims is not None
    bearer, url = platform.admin_token(), platform.claims.url
    call(f"{url}/hospitals/ZS-001", "PUT", bearer, {"name": "舟山医院", "city": "zhoushan"})
    if call(f"{url}/plans/inpatient/years/{YEAR}", "GET", bearer)[0] == 404:
        rules = {
            "pooling": [{"level": "district", "effective_from": f"{YEAR}-01-01"}],
            "deductible": "500.00",
            "tiers": [{"up_to": "5000.00", "ratio": "0.5"}, {"ratio": "0.7"}],
            "per_claim_cap": "30000.00",
            "annual_cap": "50000.00",
            "deadline_days": 90,
            "auto_approve_below": "1000.00",
        }
        status, body = call(f"{url}/plans/inpatient/years/{YEAR}", "PUT", bearer, rules)
        assert status == 200, body


def file_one_invoice(
    clerk: Page,
    platform: ClaimsPlatform,
    member: dict[str, str],
    surname: str,
    number: str,
    amount: str,
) -> None:
    """The filing form as a clerk fills it for one invoice of 舟山医院 with its 住院结算单,
    submitted (the member found by card first, shown by surname only)."""
    clerk.goto(platform.url + "/claims/file")
    clerk.get_by_label("会员服务卡号或身份证号").fill(member["card_no"])
    clerk.get_by_label("会员服务卡号或身份证号").press("Enter")
    expect(clerk.get_by_test_id("member-found")).to_contain_text(surname + "*")
    clerk.get_by_label("入院日期").fill(ADMITTED.isoformat())
    clerk.get_by_label("出院日期").fill(DISCHARGED.isoformat())
    clerk.locator("#f-inv-0-hospital").select_option("ZS-001")
    clerk.locator("#f-inv-0-number").fill(number)
    clerk.locator("#f-inv-0-amount").fill(amount)
    clerk.locator("#f-inv-0-issued_on").fill(DISCHARGED.isoformat())
    clerk.get_by_label("住院结算单").check()
    clerk.get_by_role("button", name="提交受理").click()


def test_a_returned_claim_is_corrected_and_resubmitted_under_its_number(
    browser: Browser, claims_platform: ClaimsPlatform
) -> None:
    platform = claims_platform
    ensure_rules(platform)
    member = platform.enrolled_member(2, "吴芳", "inpatient", YEAR)
    clerk_ctx, clerk = signed_in(
        browser, platform, "putuo.clerk2", "clerk", "zhoushan/putuo/center", "陈静"
    )
    officer_ctx, officer = signed_in(
        browser, platform, "putuo.officer2", "district_officer", "zhoushan/putuo", "刘洋"
    )
    try:
        # the slip says 2800.00: a typing mistake the officer returns
        file_one_invoice(clerk, platform, member, "吴", "FP-2026-0101", "3000.00")
        claim_id = clerk.get_by_test_id("claim-id").inner_text()
        expect(clerk.get_by_test_id("benefit")).to_have_text("¥1,250.00", timeout=30_000)

        officer.goto(f"{platform.url}/claims/review/{claim_id}")
        reason = "发票金额与住院结算单不符（结算单为 2,800.00 元），请核对后重新提交"
        officer.get_by_label("补正说明").fill(reason)
        officer.get_by_role("button", name="退回补正").click()  # no reason chosen: said so
        missing = officer.locator(".error-summary a", has_text="请选择退回原因")
        expect(officer.locator(missing.get_attribute("href") or "")).to_be_visible()  # the select
        expect(officer.get_by_label("补正说明")).to_have_value(reason)  # the note is kept
        shot(officer, "claims-review-return-errors")
        officer.get_by_label("退回原因").select_option(label="发票信息有误")
        officer.get_by_role("button", name="退回补正").click()
        expect(officer.locator(".notice-success")).to_contain_text("已退回补正")

        # filing the slip again as a new claim is refused, and says where to go instead
        file_one_invoice(clerk, platform, member, "吴", "FP-2026-0101", "2800.00")
        expect(clerk.locator(".error-summary")).to_contain_text(
            f"第 1 张发票：该发票已在申请 {claim_id} 中使用，该申请已退回补正"
        )
        shot(clerk, "claims-file-refused-returned-invoice")

        clerk.goto(f"{platform.url}/claims/{claim_id}")
        expect(clerk.get_by_test_id("status")).to_have_text("已退回补正")
        expect(clerk.get_by_test_id("returned-code")).to_have_text("发票信息有误")
        expect(clerk.get_by_test_id("returned-reason")).to_contain_text(reason)
        shot(clerk, "claims-returned")
        clerk.get_by_role("link", name="补正后重新提交").click()
        expect(clerk.locator("h1")).to_have_text("补正后重新提交")
        expect(clerk.get_by_test_id("returned-code")).to_have_text("发票信息有误")
        expect(clerk.get_by_test_id("returned-reason")).to_contain_text(reason)
        expect(clerk.get_by_test_id("claim-id")).to_have_text(claim_id)
        expect(clerk.get_by_label("入院日期")).to_have_value(ADMITTED.isoformat())
        expect(clerk.locator("#f-inv-0-number")).to_have_value("FP-2026-0101")
        expect(clerk.locator("#f-inv-0-hospital")).to_have_value("ZS-001")
        expect(clerk.get_by_label("住院结算单")).to_be_checked()
        shot(clerk, "claims-resubmit")
        clerk.locator("#f-inv-0-amount").fill("")
        clerk.get_by_role("button", name="重新提交").click()
        expect(clerk.locator(".error-summary")).to_contain_text("第 1 张发票：金额应为数字")
        shot(clerk, "claims-resubmit-errors")
        clerk.locator("#f-inv-0-amount").fill("2800.00")
        clerk.get_by_label("出院记录").check()
        clerk.get_by_role("button", name="重新提交").click()

        expect(clerk.locator(".panel-title")).to_have_text("互助金申请已重新提交")
        expect(clerk.get_by_test_id("claim-id")).to_have_text(claim_id)  # the same number
        expect(clerk.get_by_test_id("status")).to_have_text("已核算", timeout=30_000)
        expect(clerk.get_by_test_id("benefit")).to_have_text("¥1,150.00")  # assessed again
        shot(clerk, "claims-resubmitted")
        clerk.goto(f"{platform.url}/claims/{claim_id}")
        steps = clerk.get_by_test_id("timeline")
        expect(steps.locator("tr", has_text="退回补正").first).to_contain_text("发票信息有误")
        expect(steps.locator("tr", has_text="补正后重新提交")).to_contain_text("陈静")
        expect(clerk.locator(".card").first).to_contain_text("¥2,800.00")  # the invoice
    finally:
        for ctx in (clerk_ctx, officer_ctx):
            ctx.close()


def test_a_small_claim_is_approved_by_itself_and_the_queue_is_oldest_first_and_rejects(
    browser: Browser, claims_platform: ClaimsPlatform
) -> None:
    """Below the plan year's automatic-approval amount a claim is 已审核 without an officer
    (the filed page follows it); above it, claims wait in the queue oldest first, and one an
    officer rejects says why, leaves the queue and cannot be paid."""
    platform = claims_platform
    ensure_rules(platform)
    assert platform.claims is not None
    member = platform.enrolled_member(3, "郑伟", "inpatient", YEAR)
    clerk_ctx, clerk = signed_in(
        browser, platform, "putuo.clerk3", "clerk", "zhoushan/putuo/center", "孙丽"
    )
    officer_ctx, officer = signed_in(
        browser, platform, "putuo.officer3", "district_officer", "zhoushan/putuo", "周涛"
    )
    try:
        # (1400 − 500) × 50% = 450, under the automatic-approval amount of 1000
        file_one_invoice(clerk, platform, member, "郑", "FP-2026-0201", "1400.00")
        small = clerk.get_by_test_id("claim-id").inner_text()
        expect(clerk.get_by_test_id("status")).to_have_text("已审核", timeout=30_000)
        expect(clerk.get_by_test_id("benefit")).to_have_text("¥450.00")
        shot(clerk, "claims-filed-auto-approved")

        bearer, url = platform.admin_token(), platform.claims.url
        large = []
        for n, amount in enumerate(("4000.00", "5000.00")):  # both wait for an officer
            body = {
                "member_id": member["member_id"],
                "service_point": "zhoushan/putuo/center",
                "plan_id": "inpatient",
                "admitted_on": ADMITTED.isoformat(),
                "discharged_on": DISCHARGED.isoformat(),
                "invoices": [{"hospital": "ZS-001", "number": f"FP-2026-021{n}",
                              "amount": amount, "issued_on": DISCHARGED.isoformat()}],
                "documents": ["settlement_statement"],
            }  # fmt: skip
            status, answer = call(f"{url}/claims", "POST", bearer, body)
            assert status == 202, answer
            large.append(answer["claim_id"])
            deadline = time.monotonic() + 30
            while call(f"{url}/claims/{large[-1]}", "GET", bearer)[1]["status"] != "assessed":
                assert time.monotonic() < deadline, "the claim was never assessed"
                time.sleep(0.2)
            time.sleep(1.1)  # filed a second apart: the queue orders by the filing time

        officer.goto(platform.url + "/claims/review")
        rows = officer.locator(".table tbody tr")
        expect(rows.filter(has_text=large[1][:8])).to_have_count(1)
        order = [text for text in rows.all_inner_texts() if large[0][:8] in text
                 or large[1][:8] in text or small[:8] in text]  # fmt: skip
        assert len(order) == 2 and large[0][:8] in order[0], order  # oldest first, no auto one
        officer.goto(f"{platform.url}/claims/review/{large[0]}")
        officer.get_by_label("原因", exact=True).select_option(label="发票已报销")
        officer.get_by_label("说明", exact=True).fill("该发票已于定海区报销")
        officer.get_by_role("button", name="不予支付").click()
        expect(officer.locator(".notice-success")).to_contain_text("已作不予支付处理")
        expect(officer.locator(".table tbody")).not_to_contain_text(large[0][:8])
        expect(officer.locator(".table tbody")).to_contain_text(large[1][:8])

        clerk.goto(f"{platform.url}/claims/{large[0]}")
        expect(clerk.get_by_test_id("status")).to_have_text("不予支付")
        expect(clerk.locator(".notice-danger").first).to_contain_text(
            "不予支付：发票已报销。该发票已于定海区报销"
        )
        shot(clerk, "claims-rejected")
        steps = clerk.get_by_test_id("timeline")
        expect(steps.locator("tr", has_text="不予支付")).to_contain_text("周涛")
        clerk.goto(platform.url + "/claims/pay")
        clerk.get_by_label("申请号").fill(large[0])
        clerk.get_by_role("button", name="按申请号查找").click()
        expect(clerk.locator(".table").first).not_to_contain_text("确认支付")
        expect(clerk.locator(".table").first.get_by_role("link", name="支付")).to_have_count(0)
    finally:
        for ctx in (clerk_ctx, officer_ctx):
            ctx.close()
