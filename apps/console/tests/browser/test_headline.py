"""The headline through the pages, as the issue's "Must show" says: a claim filed in one
district and paid in another. The city admin (made as `unionctl admin create` makes one)
signs in the first time and changes the password, creates the staff accounts, registers the
hospitals and sets the plan year (city pooling); a Dinghai clerk registers and enrols a
member; a Putuo clerk files the claim with two invoices, finding the member by card; a Putuo
officer approves it; a Shengsi clerk finds it by the member's card, pays it and downloads the
receipt PDF (its text holds the claim number and the amount); a second payment is refused.

The orgs are seeded through members' API first (there is no org page), heard by claims."""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from members.domain.national_id import make_national_id
from playwright.sync_api import Browser, BrowserContext, Page, expect

from .claims_platform import ClaimsPlatform, start_claims_platform
from .conftest import shot
from .test_sign_in_and_accounts import first_sign_in

TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()
ADMITTED = TODAY - timedelta(days=12)
DISCHARGED = TODAY - timedelta(days=5)
YEAR = ADMITTED.year
STAFF = (  # user name, name, role (as the page words it), org
    ("dinghai.clerk", "张伟", "窗口经办人员", "zhoushan/dinghai/center"),
    ("putuo.clerk", "李娜", "窗口经办人员", "zhoushan/putuo/center"),
    ("putuo.officer", "王强", "区县审核人员", "zhoushan/putuo"),
    ("shengsi.clerk", "赵敏", "窗口经办人员", "zhoushan/shengsi/center"),
)


@pytest.fixture(scope="module")
def headline(tmp_path_factory: pytest.TempPathFactory, nats_url: str) -> Iterator[ClaimsPlatform]:
    running = start_claims_platform(tmp_path_factory.mktemp("headline"), nats_url)
    try:
        yield running
    finally:
        running.stop()


def new_browser(browser: Browser) -> BrowserContext:
    return browser.new_context(
        viewport={"width": 1366, "height": 800}, locale="zh-CN", accept_downloads=True
    )


def create_accounts(admin: Page, platform: ClaimsPlatform) -> dict[str, str]:
    """Each account through the account pages; the one-time password shown once."""
    issued: dict[str, str] = {}
    for username, name, role, org in STAFF:
        admin.goto(platform.url + "/accounts")
        admin.get_by_role("link", name="新建账号").click()
        admin.get_by_label("用户名").fill(username)
        admin.get_by_label("姓名").fill(name)
        admin.get_by_label("角色").select_option(label=role)
        admin.get_by_label("所属单位").fill(org)
        admin.get_by_role("button", name="创建账号").click()
        expect(admin.locator(".panel-title")).to_have_text("账号已创建")
        issued[username] = admin.get_by_test_id("one-time-password").inner_text()
    admin.goto(platform.url + "/accounts")
    for username, *_ in STAFF:
        expect(admin.locator(".table")).to_contain_text(username)
    return issued


def set_up_claims(admin: Page, platform: ClaimsPlatform) -> None:
    """Hospitals and the plan year's rules (city pooling all year), through the pages."""
    for code, name in (("ZS-001", "舟山医院"), ("PT-002", "普陀医院")):
        admin.goto(platform.url + "/claims/hospitals")
        admin.get_by_label("医院代码").fill(code)
        admin.get_by_label("医院名称").fill(name)
        admin.get_by_role("button", name="保存").click()
        expect(admin.locator(".notice-success")).to_contain_text("医院已保存")
    admin.goto(platform.url + f"/claims/plans?plan_id=inpatient&year={YEAR}")
    admin.get_by_label("第 1 段统筹层级").select_option("city")
    expect(admin.get_by_label("第 1 段生效日期")).to_have_value(f"{YEAR}-01-01")
    admin.get_by_label("起付线（元）").fill("500.00")
    admin.get_by_label("第 1 档上限").fill("5000.00")
    admin.get_by_label("第 1 档报销比例").fill("50")
    admin.get_by_label("第 2 档报销比例").fill("70")
    admin.get_by_label("单次封顶（元）").fill("30000.00")
    admin.get_by_label("年度封顶（元）").fill("50000.00")
    admin.get_by_label("申报期限（天）").fill("90")
    admin.get_by_label("自动审核金额（元）").fill("1000.00")  # ¥3,011.00 waits for an officer
    admin.get_by_role("button", name="保存规则").click()
    expect(admin.locator(".notice-success")).to_contain_text("保障年度规则已保存")


def register_and_enrol(clerk: Page, platform: ClaimsPlatform, national_id: str) -> str:
    """The Dinghai clerk on the members desk; the member's card number."""
    clerk.get_by_role("link", name="会员服务").first.click()
    clerk.get_by_role("link", name="入会登记").first.click()
    clerk.get_by_label("身份证号").fill(national_id)
    expect(clerk.locator("#f-national_id-check")).to_contain_text("身份证号校验通过")
    clerk.get_by_label("姓名").fill("周海")
    clerk.get_by_label("手机号").fill("13857801234")
    clerk.get_by_label("基层工会").select_option(label="定海渔业公司工会")
    clerk.get_by_role("button", name="登记入会").click()
    expect(clerk.locator(".panel-title")).to_have_text("入会登记成功")
    card_no = clerk.locator(".panel .mono").inner_text()
    assert re.fullmatch(r"\d{16}", card_no)
    option = clerk.get_by_label("保障年度").locator(f"option[value='inpatient:{YEAR}']")
    deadline = time.monotonic() + 30  # members hears of the plan year from claims
    while option.count() == 0:
        assert time.monotonic() < deadline, "members never heard of the plan year"
        time.sleep(0.3)
        clerk.reload()
    clerk.get_by_label("保障年度").select_option(f"inpatient:{YEAR}")
    clerk.get_by_role("button", name="参保", exact=True).click()
    expect(clerk.locator(".notice-success")).to_have_text("参保已办理。")
    expect(clerk.locator(".table").first).to_contain_text(f"{YEAR}年度")
    return card_no


def file_claim(clerk: Page, platform: ClaimsPlatform, card_no: str) -> str:
    """The Putuo clerk files the claim of a Dinghai member, found by the card."""
    clerk.get_by_role("link", name="互助保障").first.click()
    clerk.locator(".tabs").get_by_role("link", name="受理").click()
    clerk.get_by_label("会员服务卡号或身份证号").fill(card_no)
    clerk.get_by_label("会员服务卡号或身份证号").press("Enter")
    found = clerk.get_by_test_id("member-found")
    expect(found).to_contain_text("周*")
    expect(found).to_contain_text("其他区县会员")
    expect(found).to_contain_text(f"住院自付互助保障 {YEAR} 年度")
    clerk.get_by_label("入院日期").fill(ADMITTED.isoformat())
    clerk.get_by_label("出院日期").fill(DISCHARGED.isoformat())
    for i, (hospital, number, amount) in enumerate(
        (("ZS-001", "HL-2026-0001", "4000.00"), ("PT-002", "HL-2026-0002", "2230.00"))
    ):
        if i:
            clerk.get_by_role("button", name="＋ 添加一张发票").click()
        clerk.locator(f"#f-inv-{i}-hospital").select_option(hospital)
        clerk.locator(f"#f-inv-{i}-number").fill(number)
        clerk.locator(f"#f-inv-{i}-amount").fill(amount)
        clerk.locator(f"#f-inv-{i}-issued_on").fill(DISCHARGED.isoformat())
    clerk.get_by_label("住院结算单").check()
    clerk.get_by_label("出院记录").check()
    clerk.get_by_role("button", name="提交受理").click()
    expect(clerk.locator(".panel-title")).to_have_text("互助金申请已受理")
    claim_id = clerk.get_by_test_id("claim-id").inner_text()
    expect(clerk.get_by_test_id("status")).to_have_text("已核算", timeout=30_000)
    expect(clerk.get_by_test_id("benefit")).to_have_text("¥3,011.00")
    expect(clerk.locator("#progress")).to_contain_text("等待区县审核人员审核")
    return claim_id


def test_a_claim_filed_in_putuo_for_a_dinghai_member_is_paid_in_shengsi_through_the_pages(
    browser: Browser, headline: ClaimsPlatform, tmp_path: Path
) -> None:
    platform = headline
    contexts: list[BrowserContext] = []

    def person(username: str, password: str) -> Page:
        context = new_browser(browser)
        contexts.append(context)
        page = context.new_page()
        first_sign_in(page, platform, username, password)
        return page

    try:
        # the first city admin, as `unionctl admin create` makes one; the first sign-in
        admin = person("city.admin", platform.make_account("city.admin", "city_admin",
                                                           "zhoushan", "林海"))  # fmt: skip
        expect(admin.locator(".user-org")).to_have_text("舟山市总工会")
        issued = create_accounts(admin, platform)
        set_up_claims(admin, platform)

        national_id = make_national_id("330902", datetime(1980, 2, 2).date(), 7)
        dinghai = person("dinghai.clerk", issued["dinghai.clerk"])
        card_no = register_and_enrol(dinghai, platform, national_id)

        putuo = person("putuo.clerk", issued["putuo.clerk"])
        claim_id = file_claim(putuo, platform, card_no)

        officer = person("putuo.officer", issued["putuo.officer"])
        officer.get_by_role("link", name="互助保障").first.click()
        officer.locator(".tabs").get_by_role("link", name="待审核").click()
        row = officer.locator(".table tbody tr", has_text="¥3,011.00")
        row.get_by_role("link", name="审核").click()
        expect(officer.locator(".summary-list").first).to_contain_text(claim_id)
        officer.get_by_role("button", name="审核通过").click()
        expect(officer.locator(".notice-success")).to_contain_text("已审核通过")

        payer = person("shengsi.clerk", issued["shengsi.clerk"])
        payer.get_by_role("link", name="互助保障").first.click()
        payer.locator(".tabs").get_by_role("link", name="支付").click()
        payer.get_by_label("会员服务卡号或身份证号").fill(card_no)
        payer.get_by_label("会员服务卡号或身份证号").press("Enter")
        masked_id = national_id[:6] + "********" + national_id[-4:]
        expect(payer.get_by_test_id("pay-member")).to_contain_text(masked_id)
        payable = payer.locator(".table").first
        expect(payable).to_contain_text(claim_id)
        payable.get_by_role("link", name="支付").click()
        expect(payer.get_by_test_id("pay-amount")).to_have_text("¥3,011.00")
        expect(payer.locator(".summary-list")).to_contain_text("周*")
        expect(payer.locator(".summary-list")).to_contain_text("嵊泗县职工服务中心（本站点）")
        again = payer.context.new_page()  # the same check page in a second window
        again.goto(payer.url)
        payer.get_by_role("button", name="确认支付 ¥3,011.00").click()

        receipt = payer.get_by_test_id("receipt")
        expect(receipt).to_contain_text(claim_id)
        expect(receipt).to_contain_text("¥3,011.00")
        expect(receipt).to_contain_text("周*")
        expect(receipt).to_contain_text(masked_id)
        with payer.expect_download() as download:
            payer.get_by_role("link", name="下载 PDF").click()
        pdf = tmp_path / "receipt.pdf"
        download.value.save_as(pdf)
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert claim_id in text and "¥3,011.00" in text, text
        assert "定海区总工会" in text and "嵊泗县总工会" in text and "赵敏" in text
        assert masked_id in text and national_id not in text

        again.get_by_role("button", name="确认支付 ¥3,011.00").click()
        expect(again.locator(".error-summary")).to_contain_text("该互助金申请已支付，不能重复支付")

        payer.goto(platform.url + "/claims/pay")  # the card again: nothing left to pay
        payer.get_by_label("会员服务卡号或身份证号").fill(card_no)
        payer.get_by_label("会员服务卡号或身份证号").press("Enter")
        expect(payer.get_by_test_id("why-none")).to_contain_text("已经支付，不能重复支付")
        expect(payer.locator(".table").nth(1)).to_contain_text("已支付")
        shot(payer, "claims-pay-nothing-left")

        if YEAR == TODAY.year:  # the record shows this year's claims (early January: last year's)
            dinghai.goto(platform.url + "/members")  # the member's own district: their record
            dinghai.get_by_label("会员服务卡号或身份证号").fill(card_no)
            dinghai.get_by_label("会员服务卡号或身份证号").press("Enter")
            year_claims = dinghai.get_by_test_id("year-claims")
            row = year_claims.locator("tbody tr", has_text=claim_id)  # number, status, amounts
            expect(row).to_contain_text("已支付")
            expect(row).to_contain_text("¥3,011.00")
            remaining = dinghai.get_by_test_id("remaining-inpatient")
            expect(remaining).to_have_text("¥46,989.00")  # the cap 50,000.00 less 3,011.00 paid
            caps = dinghai.get_by_test_id("annual-caps").locator("tbody tr")
            expect(caps).to_contain_text("¥50,000.00")  # the cap, then what is used
            expect(caps).to_contain_text("¥3,011.00")
            expect(dinghai.locator(".summary-list").first).to_contain_text(national_id)
            shot(dinghai, "member-record-year-claims")
    finally:
        for context in contexts:
            context.close()
