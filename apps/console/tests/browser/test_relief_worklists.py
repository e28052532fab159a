"""The relief desk's work lists in a real browser against real members, relief and console
processes: the follow-up visits (走访回访) overdue on a day, oldest first, each linking to the
file page where the visit is recorded; a bad day or a visit in the future is refused in Chinese;
and the officer's queue of major-illness cases (大病救助待办) a paid claim opened (the claim is
sent on NATS as claims sends it), linking to the application's existing approval."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import nats
import pytest
from playwright.sync_api import Browser, expect
from union_events import codec
from union_events.events import EventContext, RecordedEvent
from union_events.published.claims import ClaimPaid
from union_events.wire import encode

from .claims_platform import call
from .conftest import shot
from .desk_platform import DeskPlatform, start_desk_platform
from .test_outreach_desk import until
from .test_relief_desk import signed_in

TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()


def today() -> date:
    """The federation's today now (a run may cross midnight in Shanghai)."""
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


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
    putuo_ctx, putuo = signed_in(
        browser, platform, "pt.officer", "district_officer", "zhoushan/putuo", "孙丽"
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
        officer.get_by_label("走访日期").fill((today() + timedelta(days=1)).isoformat())
        officer.get_by_role("button", name="登记走访").click()
        expect(officer.locator(".error-summary")).to_contain_text("走访日期不能晚于今天")
        officer.get_by_label("走访日期").fill(today().isoformat())
        officer.get_by_role("button", name="登记走访").click()
        expect(officer.get_by_role("status")).to_contain_text("走访已登记")
        expect(officer.get_by_test_id("last-visit")).not_to_have_text("尚未走访")
        shot(officer, "relief-file-visited")

        # Putuo's officer: Dinghai's cards are not on Putuo's list, and the file is refused.
        putuo.goto(platform.url + f"/relief/visits?on={later}")
        expect(putuo.locator(".table")).to_contain_text("没有逾期未访的档案")
        putuo.goto(platform.url + f"/relief/files/{file_id}")
        expect(putuo.locator("body")).to_contain_text("该记录不在您所在单位的管辖范围内")
        expect(putuo.get_by_role("button", name="登记走访")).to_have_count(0)
    finally:
        officer_ctx.close()
        putuo_ctx.close()


def claim_paid(nats_url: str, member_id: str, out_of_pocket: str) -> None:
    """A paid claim on NATS, as claims' relay sends it."""
    payload = ClaimPaid(
        claim_id=str(uuid.uuid4()),
        member_id=member_id,
        plan_id="major_illness",
        year=TODAY.year,
        service_point="zhoushan/dinghai/center",
        paying_district="zhoushan/dinghai",
        insuring_district="zhoushan/dinghai",
        claimed=Decimal("90000.00"),
        benefit=Decimal("90000.00") - Decimal(out_of_pocket),
        out_of_pocket=Decimal(out_of_pocket),
        on=TODAY,
    )
    data = codec.loads(payload.model_dump_json())
    event = RecordedEvent(
        1,
        "s-1",
        1,
        str(uuid.uuid4()),
        payload.event_type(),
        data,
        datetime.now(UTC),
        EventContext(),
    )

    async def send() -> None:
        nc = await nats.connect(nats_url)
        try:
            subject, headers, body = encode(event, "/union/claims")
            await nc.jetstream().publish(subject, body, headers=headers)
        finally:
            await nc.close()

    with ThreadPoolExecutor(1) as pool:  # Playwright's sync API runs a loop in this thread
        pool.submit(lambda: asyncio.run(send())).result(timeout=20)


def test_a_paid_claim_past_the_threshold_is_in_the_officers_major_illness_queue(
    browser: Browser, relief_platform: DeskPlatform, nats_url: str
) -> None:
    platform = relief_platform
    relief = platform.services["relief"].url
    member = platform.member(42, "郑伟")
    claim_paid(nats_url, member["member_id"], "62000.00")
    deadline = time.monotonic() + 20
    while True:
        _status, found = call(
            relief + "/applications?status=drafted&size=500", "GET", platform.admin_token()
        )
        if any(a["member_id"] == member["member_id"] for a in found["applications"]):
            break
        assert time.monotonic() < deadline, "relief never opened the major-illness case"
        time.sleep(0.2)
    officer_ctx, officer = signed_in(
        browser, platform, "dh.officer2", "district_officer", "zhoushan/dinghai", "王强"
    )
    clerk_ctx, clerk = signed_in(
        browser, platform, "dh.clerk2", "clerk", "zhoushan/dinghai/center", "李娜"
    )
    try:
        officer.goto(platform.url + "/relief")
        officer.get_by_role("link", name="大病救助待办").first.click()
        row = officer.locator(".table tbody tr", has_text=member["member_id"])
        expect(row).to_contain_text("待补全")
        expect(row).to_contain_text(str(TODAY.year))
        # claims is not running here: the page says so instead of failing
        expect(officer.locator(".notice-warning")).to_contain_text("互助保障系统暂时无法访问")
        shot(officer, "relief-illness-queue")
        row.get_by_role("link", name="补全并提交").click()
        expect(officer.locator(".page-title").first).to_contain_text("救助申请")
        expect(officer.locator(".card").first).to_contain_text("大病救助")
        officer.get_by_label("会员服务卡号或身份证号").fill(member["card_no"])
        officer.get_by_label("申请金额（元）").fill("5000")
        officer.get_by_role("button", name="提交审批").click()
        officer.goto(platform.url + "/relief/illness")
        row = officer.locator(".table tbody tr", has_text=member["member_id"])
        until(officer, lambda: expect(row).to_contain_text("待审批", timeout=1000))
        expect(row).to_have_count(1)
        expect(row).to_contain_text("¥5,000.00")
        expect(row.get_by_role("link", name="审批")).to_be_visible()

        clerk.goto(platform.url + "/relief/illness")  # not a clerk's: told why, as 403 pages do
        expect(clerk.locator("body")).to_contain_text("大病救助待办由区县审核人员办理")
        expect(clerk.get_by_role("link", name="大病救助待办")).to_have_count(0)
    finally:
        officer_ctx.close()
        clerk_ctx.close()
