"""The relief desk's work lists in a real browser against real members, relief and console
processes: the follow-up visits (走访回访) overdue on a day, oldest first, each linking to the
file page where the visit is recorded; a bad day or a visit in the future is refused in Chinese."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, expect

from .claims_platform import call
from .conftest import shot
from .desk_platform import DeskPlatform, start_desk_platform
from .test_relief_desk import signed_in

TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()


@pytest.fixture(scope="module")
def relief_platform(
    tmp_path_factory: pytest.TempPathFactory, nats_url: str
) -> Iterator[DeskPlatform]:
    running = start_desk_platform(tmp_path_factory.mktemp("relief-lists"), nats_url, ("relief",))
    try:
        yield running
    finally:
        running.stop()


def carded_file(platform: DeskPlatform, n: int, name: str) -> str:
    """A Dinghai member's file, under the card line: a card issued today."""
    relief = platform.services["relief"].url
    member = platform.member(n, name)
    body = {
        "member_id": member["member_id"],
        "district": "zhoushan/dinghai",
        "category": "deep",
        "household": [{"name": name, "relation": "本人"}],
        "monthly_income": "300.00",
        "notes": "",
    }
    status, opened = call(relief + "/files", "POST", platform.admin_token(), body)
    assert status == 201, opened
    assert opened["card"] is not None, opened
    return str(opened["file_id"])


def test_the_overdue_visits_list_the_oldest_first_and_a_visit_is_recorded_on_the_file(
    browser: Browser, relief_platform: DeskPlatform
) -> None:
    platform = relief_platform
    relief = platform.services["relief"].url
    standard = {"district": "zhoushan/dinghai", "amount": "800.00", "effective_from": "2020-01-01"}
    status, answer = call(relief + "/standards", "POST", platform.admin_token(), standard)
    assert status in (200, 201), answer
    file_id = carded_file(platform, 41, "周敏")
    officer_ctx, officer = signed_in(
        browser, platform, "dh.officer", "district_officer", "zhoushan/dinghai", "王强"
    )
    try:
        officer.goto(platform.url + "/relief")
        officer.get_by_role("link", name="走访回访").first.click()
        expect(officer.locator(".table")).to_contain_text("没有逾期未访的档案")

        later = (TODAY + timedelta(days=130)).isoformat()  # the card's quarter is past
        officer.get_by_label("截至日期").fill(later)
        officer.get_by_role("button", name="查询").click()
        row = officer.locator(".table tbody tr", has_text=file_id[:8])
        expect(row).to_contain_text("尚未走访")
        expect(row).to_contain_text("逾期")
        expect(row).to_contain_text("定海区")
        shot(officer, "relief-visits")

        officer.goto(platform.url + "/relief/visits?on=2026-13-40")
        expect(officer.locator(".error-summary")).to_contain_text(
            "请按 2026-12-01 的格式填写截至日期"
        )

        officer.goto(platform.url + f"/relief/visits?on={later}")
        officer.locator(".table tbody tr", has_text=file_id[:8]).get_by_role(
            "link", name="登记走访"
        ).click()
        expect(officer.get_by_test_id("last-visit")).to_have_text("尚未走访")
        officer.get_by_label("走访日期").fill((TODAY + timedelta(days=1)).isoformat())
        officer.get_by_role("button", name="登记走访").click()
        expect(officer.locator(".error-summary")).to_contain_text("走访日期不能晚于今天")
        officer.get_by_label("走访日期").fill(TODAY.isoformat())
        officer.get_by_role("button", name="登记走访").click()
        expect(officer.get_by_role("status")).to_contain_text("走访已登记")
        expect(officer.get_by_test_id("last-visit")).not_to_have_text("尚未走访")
        shot(officer, "relief-file-visited")
    finally:
        officer_ctx.close()
