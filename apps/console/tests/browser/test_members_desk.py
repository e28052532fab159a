"""The members desk in a real browser against the real members service: a Dinghai clerk
registers (the ID number checked inline), finds and enrols a member; the same person again
leads to the record; a unit's roster enrolled at once; transfer, leave and rejoin; a city
admin erases personal data behind a confirmation; another district's record is refused.

Each page test saves a screenshot under docs/console/ (docs/console.md shows them)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from . import members_data as data
from .conftest import shot
from .platform import Platform, start_platform
from .test_sign_in_and_accounts import NEW_PASSWORD, sign_in, with_staff

STAFF = (
    ("dh.clerk", "clerk", "zhoushan/dinghai/center", "王丽"),
    ("pt.clerk", "clerk", "zhoushan/putuo/center", "周敏"),
    ("admin", "city_admin", "zhoushan", "陈建华"),
)


@pytest.fixture(scope="module")
def platform(
    tmp_path_factory: pytest.TempPathFactory, nats_url: str, browser: Browser
) -> Iterator[Platform]:
    """The platform with units, this year's plan year, and three staff who chose their passwords."""
    running = start_platform(tmp_path_factory.mktemp("members-desk"), nats_url)
    try:
        data.set_up(running, nats_url)
        with_staff(running, browser, STAFF)
        yield running
    finally:
        running.stop()


def as_staff(page: Page, platform: Platform, username: str) -> None:
    sign_in(page, platform, username, NEW_PASSWORD)
    expect(page.locator(".user-name")).to_be_visible()


def test_a_clerk_registers_a_member_finds_them_by_id_and_card_and_enrols_them(
    page: Page, platform: Platform
) -> None:
    as_staff(page, platform, "dh.clerk")
    page.get_by_role("link", name="会员服务").first.click()
    expect(page.locator("h1")).to_have_text("会员查询")
    shot(page, "members-lookup")

    page.get_by_role("link", name="入会登记").first.click()
    page.get_by_role("button", name="登记入会").click()
    expect(page.locator(".error-summary")).to_contain_text("请填写身份证号")
    shot(page, "member-register-errors")

    page.goto(platform.url + "/members/new")  # a fresh form: the ID number checked as typed
    good = data.national_id(1)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    box = page.get_by_label("身份证号")
    box.press_sequentially(bad[:10])
    expect(page.locator("#f-national_id-check")).to_contain_text("已输入 10 位")
    box.press_sequentially(bad[10:])
    expect(page.locator("#f-national_id-check")).to_contain_text("校验位不符")
    shot(page, "member-register-bad-checksum")
    box.fill(good)
    expect(page.locator("#f-national_id-check")).to_contain_text("身份证号校验通过")
    page.get_by_label("姓名").fill("李海涛")
    page.get_by_label("手机号").fill("13857805678")
    page.get_by_label("基层工会").select_option(label="定海船舶修造有限公司工会")
    shot(page, "member-register")
    page.get_by_role("button", name="登记入会").click()
    expect(page.locator(".panel-title")).to_have_text("入会登记成功")
    card_no = page.locator(".panel .mono").inner_text()
    assert re.fullmatch(r"\d{16}", card_no)
    record = page.url.split("?")[0]
    expect(page.locator(".summary-list")).to_contain_text("13857805678")  # own district: full
    expect(page.locator(".summary-list")).to_contain_text(good)  # the record: in full
    shot(page, "member-registered")

    plan_year = f"住院自付互助保障 {data.YEAR}年度（参保期至{data.YEAR}年12月31日）"
    page.get_by_label("保障年度").select_option(label=plan_year)
    page.get_by_role("button", name="参保", exact=True).click()
    expect(page.locator(".notice-success")).to_have_text("参保已办理。")
    expect(page.locator(".table").first).to_contain_text(f"{data.YEAR}年度")
    shot(page, "member-record")

    page.goto(platform.url + "/members")  # the scanner types the ID number and Enter
    page.get_by_label("会员服务卡号或身份证号").fill(good)
    page.get_by_label("会员服务卡号或身份证号").press("Enter")
    expect(page).to_have_url(record)

    page.goto(platform.url + "/members")
    page.get_by_label("会员服务卡号或身份证号").press_sequentially(card_no)
    row = page.locator("#results tbody tr")
    expect(row).to_contain_text("李海涛")  # active search, as the number is typed
    expect(row).to_contain_text("138****5678")
    expect(row).to_contain_text(good[:6] + "********" + good[-4:])  # results: masked
    expect(row).not_to_contain_text(good)
    expect(row).not_to_contain_text("13857805678")
    page.get_by_label("姓名或手机号").fill("13857805678")
    expect(page.locator("#results tbody tr")).to_contain_text("李海涛")
    shot(page, "members-lookup-results")
    page.get_by_label("会员服务卡号或身份证号").fill(card_no)
    page.get_by_label("会员服务卡号或身份证号").press("Enter")
    expect(page).to_have_url(record)

    page.goto(platform.url + "/members/new")  # the same person again: their record
    page.get_by_label("身份证号").fill(good)
    expect(page.locator("#f-national_id-check")).to_contain_text("此人已是会员")
    page.get_by_label("姓名").fill("李海涛")
    page.get_by_label("手机号").fill("13857805678")
    page.get_by_label("基层工会").select_option(label="定海船舶修造有限公司工会")
    page.get_by_role("button", name="登记入会").click()
    expect(page).to_have_url(record + "?notice=exists")
    expect(page.locator(".notice-warning")).to_contain_text("此人已是会员")
    shot(page, "member-exists")


def test_a_units_roster_is_enrolled_at_once_each_row_saying_what_happened(
    page: Page, platform: Platform
) -> None:
    unit = "zhoushan/dinghai/fishery"
    first = data.register(platform, 11, "张伟", unit, "13900001111")
    data.register(platform, 12, "赵敏", unit, "13900002222")
    data.register(platform, 13, "孙强", unit, "13900003333")
    enrolled = {"plan_id": data.PLAN_ID, "year": data.YEAR}
    path = f"/members/{first['member_id']}/enrolments"
    assert data.call(platform, "POST", path, enrolled)[0] == 201

    as_staff(page, platform, "dh.clerk")
    page.goto(platform.url + "/members/roster")
    page.get_by_label("基层工会").select_option(label="定海海洋渔业公司工会")
    page.get_by_role("button", name="列出会员").click()
    rows = page.locator("#roster tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("#roster")).to_contain_text("139****1111")
    expect(page.locator("#roster")).not_to_contain_text("13900001111")
    shot(page, "member-roster")
    page.get_by_label("保障年度").select_option(f"{data.PLAN_ID}:{data.YEAR}")
    page.get_by_role("button", name="为勾选的会员参保").click()
    expect(page.locator("#roster .notice-success")).to_contain_text("参保成功 2 人，已参保 1 人")
    expect(rows.filter(has_text="张伟").locator(".outcome")).to_have_text("已参保")
    expect(rows.filter(has_text="赵敏").locator(".outcome")).to_have_text("参保成功")
    expect(rows.filter(has_text="孙强").locator(".outcome")).to_have_text("参保成功")
    shot(page, "member-roster-enrolled")


def test_a_member_is_transferred_leaves_and_rejoins(page: Page, platform: Platform) -> None:
    member = data.register(platform, 21, "钱芳", "zhoushan/dinghai/shipyard", "13700007777")
    as_staff(page, platform, "dh.clerk")
    page.goto(platform.url + f"/members/{member['member_id']}")
    page.get_by_role("link", name="会籍转接").click()
    page.get_by_label("转接到的基层工会").select_option(label="定海区总工会 · 定海海洋渔业公司工会")
    shot(page, "member-transfer")
    page.get_by_role("button", name="确认会籍转接").click()
    expect(page.locator(".notice-success")).to_have_text("会籍转接已办理。")
    expect(page.locator(".summary-list")).to_contain_text("定海海洋渔业公司工会")

    page.get_by_role("link", name="退会").click()
    page.get_by_role("button", name="确认退会").click()
    expect(page.locator(".error-summary")).to_contain_text("请填写退会原因")
    page.get_by_label("退会原因").fill("调离本市")
    shot(page, "member-leave-confirm")
    page.get_by_role("button", name="确认退会").click()
    expect(page.locator(".notice-success")).to_have_text("退会已办理。")
    expect(page.locator("h1 .tag")).to_have_text("已退会")
    shot(page, "member-left")

    page.get_by_role("link", name="重新入会").click()
    page.get_by_label("入会的基层工会").select_option(label="定海船舶修造有限公司工会")
    page.get_by_role("button", name="确认重新入会").click()
    expect(page.locator(".notice-success")).to_have_text("重新入会已办理。")
    expect(page.locator("h1 .tag")).to_have_text("在会")


def test_a_city_admin_erases_personal_data_behind_a_confirmation_page(
    page: Page, platform: Platform
) -> None:
    member = data.register(platform, 31, "吴静", "zhoushan/dinghai/shipyard", "13600006666")
    as_staff(page, platform, "dh.clerk")  # a clerk neither sees the action nor opens it
    page.goto(platform.url + f"/members/{member['member_id']}")
    expect(page.get_by_role("link", name="删除个人信息")).to_have_count(0)
    page.goto(platform.url + f"/members/{member['member_id']}/erase")
    expect(page.locator(".lead")).to_contain_text("删除个人信息只能由市总管理员办理")
    page.get_by_role("button", name="退出").click()

    as_staff(page, platform, "admin")
    page.goto(platform.url + f"/members/{member['member_id']}")
    page.get_by_role("link", name="删除个人信息").click()
    destroyed = page.locator(".summary-list.destroy")
    for shown in ("姓名", "吴静", "身份证号", "手机号", "13600006666", "地址"):
        expect(destroyed).to_contain_text(shown)
    expect(page.locator(".destroy-list")).to_contain_text("参保记录")
    shot(page, "member-erase-confirm")
    page.get_by_role("button", name="确认删除个人信息").click()
    expect(page.locator(".notice-success")).to_contain_text("个人信息已删除")
    expect(page.locator("h1 .tag")).to_have_text("已删除个人信息")
    expect(page.locator("main")).not_to_contain_text("吴静")
    shot(page, "member-erased")


def test_a_clerk_cannot_open_another_districts_record_and_is_told_why(
    page: Page, platform: Platform
) -> None:
    member = data.register(platform, 41, "郑宏", "zhoushan/putuo/port", "13500005555")
    as_staff(page, platform, "dh.clerk")
    page.goto(platform.url + "/members")
    page.get_by_label("会员服务卡号或身份证号").fill(member["card_no"])
    row = page.locator("#results tbody tr")
    expect(row).to_contain_text("（其他区县会员）")
    expect(row).to_contain_text("档案由所属区县办理")
    expect(row).not_to_contain_text("郑宏")
    response = page.goto(platform.url + f"/members/{member['member_id']}")
    assert response is not None and response.status == 403
    expect(page.locator("h1")).to_have_text("无权访问此页面")
    expect(page.locator(".lead")).to_contain_text("不在您所在的区县（定海区总工会）")
    shot(page, "member-forbidden")
