"""QR enrolment drives (扫码入会) in a real browser against the real members service: a Dinghai
district officer opens a drive, 150 sign-ups arrive through the members API, and the drive page
(refreshed by htmx polling) shows the daily target met and the people who signed up, masked;
the QR code is a PNG whose modules are segno's encoding of the sign-up address; the poster
prints on A4; another district's officer is refused the drive.

Screenshots under SCREENSHOTS (docs/console/ with `make screenshots`; docs/console.md shows
them)."""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator

import pytest
import segno
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from . import members_data as data
from .conftest import shot
from .platform import Platform, start_platform
from .test_sign_in_and_accounts import NEW_PASSWORD, sign_in, with_staff

DRIVE = "riders-2026"
UNIT = "zhoushan/dinghai/shipyard"
SAMPLE = "https://signup.example.invalid/join/" + DRIVE
STAFF = (
    ("dh.officer", "district_officer", "zhoushan/dinghai", "王强"),
    ("pt.officer", "district_officer", "zhoushan/putuo", "孙丽"),
    ("dh.clerk", "clerk", "zhoushan/dinghai/center", "王丽"),
    ("admin", "city_admin", "zhoushan", "陈建华"),
)


@pytest.fixture(scope="module")
def platform(
    tmp_path_factory: pytest.TempPathFactory, nats_url: str, browser: Browser
) -> Iterator[Platform]:
    """The platform with Dinghai's units and two district officers who chose their passwords."""
    running = start_platform(tmp_path_factory.mktemp("members-drives"), nats_url)
    try:
        for path, name in data.UNITS:
            status, body = data.call(
                running, "POST", "/orgs", {"path": path, "name": name, "level": "unit"}
            )
            assert status == 201, body
        with_staff(running, browser, STAFF)
        yield running
    finally:
        running.stop()


def as_staff(page: Page, platform: Platform, username: str) -> None:
    sign_in(page, platform, username, NEW_PASSWORD)
    expect(page.locator(".user-name")).to_be_visible()


def sign_ups(first: int, count: int) -> list[dict[str, str]]:
    return [
        {
            "national_id": data.national_id(5000 + n),
            "name": f"骑手{n:03d}",
            "phone": f"139{n:08d}",
            "unit": UNIT,
        }
        for n in range(first, first + count)
    ]


def modules(png: bytes, border: int = 4) -> list[list[bool]]:
    """The dark modules of a QR code PNG (square modules, `border` light ones around it)."""
    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    assert width == height, image.size
    light = image.getpixel((0, 0))
    # the finder pattern's dark top-left corner: where the border ends, hence the module size
    first = next(x for x in range(width) if image.getpixel((x, x)) != light)
    scale = first // border
    assert scale >= 1 and width % scale == 0, (width, first)
    count = width // scale - 2 * border
    return [
        [
            image.getpixel((int((border + x + 0.5) * scale), int((border + y + 0.5) * scale))) < 128
            for x in range(count)
        ]
        for y in range(count)
    ]


def test_an_officer_opens_a_drive_and_watches_150_sign_ups_meet_the_daily_target(
    page: Page, platform: Platform
) -> None:
    as_staff(page, platform, "dh.officer")
    page.goto(platform.url + "/members")
    page.get_by_role("link", name="扫码入会").click()
    expect(page.locator("h1")).to_have_text("扫码入会活动")
    page.get_by_role("link", name="开设扫码入会活动").click()
    expect(page.get_by_label("日目标（人）")).to_have_value("100")
    page.get_by_label("活动编号").fill("Riders 2026")  # a space: refused on the page
    page.get_by_label("活动名称").fill("外卖骑手扫码入会")
    page.get_by_role("button", name="开设").click()
    expect(page.locator(".error-summary")).to_contain_text("活动编号格式不正确")
    page.get_by_label("活动编号").fill(DRIVE)
    page.get_by_label("周目标（人）").fill("50")  # below the daily target
    page.get_by_role("button", name="开设").click()
    expect(page.locator(".error-summary")).to_contain_text("逐级递增")
    shot(page, "members-drive-new-errors")
    page.get_by_label("周目标（人）").fill("1000")
    shot(page, "members-drive-new")
    page.get_by_role("button", name="开设").click()

    expect(page).to_have_url(re.compile(rf"/members/drives/{DRIVE}\?notice=opened$"))
    expect(page.locator(".notice-success")).to_contain_text("扫码入会活动已开设")
    expect(page.get_by_test_id("signup-url")).to_have_text(SAMPLE)
    expect(page.get_by_test_id("sample-notice")).to_contain_text("二维码地址为示例")
    today = page.get_by_test_id("tally-today")
    expect(today).to_contain_text("0 / 100")
    expect(today).to_contain_text("未达标")
    expect(page.locator("#drive-progress [data-chart-drawn]")).to_have_count(2)

    # 150 people scan the code: the public sign-up page posts them to the members API
    for batch in (sign_ups(0, 100), sign_ups(100, 50)):
        status, body = data.call(
            platform, "POST", f"/campaigns/{DRIVE}/signups", {"signups": batch}
        )
        assert status == 200 and body["accepted"] == len(batch), body

    expect(today).to_contain_text("150 / 100", timeout=30_000)  # htmx polls every 10 s
    expect(today).to_contain_text("已达标")
    expect(page.get_by_test_id("tally-this_week")).to_contain_text("150 / 1000")
    expect(page.get_by_test_id("tally-this_month")).to_contain_text("150 / 10000")
    signed = page.get_by_test_id("drive-signups")
    expect(signed).to_contain_text("共 150 条", timeout=30_000)
    expect(signed).to_contain_text("骑手149")  # the latest first
    phone = f"139{149:08d}"
    expect(signed).to_contain_text(phone[:3] + "****" + phone[-4:])
    expect(signed).not_to_contain_text(phone)
    expect(signed).not_to_contain_text(data.national_id(5149))
    # the swapped-out charts were disposed: the new panel's two alone are alive
    expect(page.locator("#drive-progress [data-chart-drawn]")).to_have_count(2)
    assert page.evaluate("window.consoleCharts()") == 2
    shot(page, "members-drive")
    panel = f"{platform.url}/members/drives/{DRIVE}/progress?since="
    fresh = page.request.get(panel + str(int(time.time()) - 60)).text()
    assert 'hx-trigger="every 10s"' in fresh and "150" in fresh
    stale = page.request.get(panel + str(int(time.time()) - 16 * 60)).text()  # 15 minutes on
    assert "hx-trigger" not in stale and "自动刷新已停止" in stale

    png = page.request.get(f"{platform.url}/members/drives/{DRIVE}/qr.png")
    assert png.ok and png.headers["content-type"] == "image/png"
    assert png.body().startswith(b"\x89PNG\r\n\x1a\n")
    expected = [[bool(m) for m in row] for row in segno.make_qr(SAMPLE, error="m").matrix]
    assert modules(png.body()) == expected
    svg = page.request.get(f"{platform.url}/members/drives/{DRIVE}/qr.svg")
    assert svg.ok and svg.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in svg.body()

    page.locator(".desk-tab", has_text="扫码入会").click()
    row = page.locator("tr", has_text="外卖骑手扫码入会")
    expect(row).to_contain_text("定海区总工会")
    expect(row).to_contain_text("100 / 1000 / 10000")
    expect(row.locator("td").nth(4)).to_have_text("150", timeout=15_000)
    shot(page, "members-drives")
    row.get_by_role("link", name="查看").click()

    page.get_by_role("link", name="打印 A4 海报").click()
    poster = page.get_by_test_id("poster")
    expect(poster).to_contain_text("外卖骑手扫码入会")
    expect(poster).to_contain_text("定海区总工会")
    expect(poster.locator("img.poster-qr")).to_be_visible()
    shot(page, "members-drive-poster")
    page.emulate_media(media="print")
    expect(page.locator(".sidebar")).to_be_hidden()
    shot(page, "members-drive-poster-print")
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1  # one A4 sheet


def test_the_drive_is_its_districts_only_and_not_a_clerks(page: Page, platform: Platform) -> None:
    as_staff(page, platform, "pt.officer")
    page.goto(platform.url + "/members/drives")
    expect(page.locator("h1")).to_have_text("扫码入会活动")
    expect(page.locator(".table")).to_contain_text("暂无扫码入会活动")
    response = page.goto(platform.url + f"/members/drives/{DRIVE}")
    assert response is not None and response.status == 403
    expect(page.locator("main")).to_contain_text("该扫码入会活动属于其他区县")
    assert page.request.get(f"{platform.url}/members/drives/{DRIVE}/qr.png").status == 403

    page.context.clear_cookies()
    as_staff(page, platform, "dh.clerk")
    page.goto(platform.url + "/members")
    expect(page.get_by_role("link", name="扫码入会")).to_have_count(0)
    response = page.goto(platform.url + "/members/drives")
    assert response is not None and response.status == 403
    expect(page.locator("main")).to_contain_text("区县审核人员或市总管理员")


def test_a_city_admin_opens_a_drive_for_a_district_and_sees_every_district(
    page: Page, platform: Platform
) -> None:
    as_staff(page, platform, "admin")
    page.goto(platform.url + "/members/drives/new")
    page.get_by_label("活动编号").fill("port-2026")
    page.get_by_label("活动名称").fill("港口装卸工扫码入会")
    page.get_by_role("button", name="开设").click()
    expect(page.locator(".error-summary")).to_contain_text("请选择活动所属区县")
    page.get_by_label("所属区县").select_option(label="普陀区总工会")
    page.get_by_role("button", name="开设").click()
    expect(page.locator(".notice-success")).to_contain_text("扫码入会活动已开设")
    expect(page.locator("main")).to_contain_text("普陀区总工会")
    page.goto(platform.url + "/members/drives/new")
    page.get_by_label("活动编号").fill(DRIVE)  # taken already, by Dinghai
    page.get_by_label("活动名称").fill("重复")
    page.get_by_label("所属区县").select_option(label="普陀区总工会")
    page.get_by_role("button", name="开设").click()
    expect(page.locator("#f-campaign_id-error")).to_contain_text("已被使用")

    deadline = time.monotonic() + 15  # the list is a read model: consistent within moments
    while data.call(platform, "GET", "/campaigns?district=zhoushan")[1]["total"] < 2:
        assert time.monotonic() < deadline, "the campaigns view never listed both drives"
        time.sleep(0.1)
    page.goto(platform.url + "/members/drives")
    expect(page.locator("tbody tr")).to_have_count(2)
    expect(page.locator("tbody")).to_contain_text("定海区总工会")
    expect(page.locator("tbody")).to_contain_text("普陀区总工会")
