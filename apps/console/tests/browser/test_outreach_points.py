"""The outreach desk's service points in a real browser against real members, outreach and
console processes: the points with their amenities, opening hours and state (an officer closes
one with a reason and opens it again; a clerk only reads), and the report of the fixed roving
points that held no session in the month the officer picks (a bad month: a Chinese reason)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, expect

from .claims_platform import call
from .conftest import shot
from .desk_platform import DeskPlatform, start_desk_platform
from .test_outreach_desk import signed_in

TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()


@pytest.fixture(scope="module")
def outreach_platform(
    tmp_path_factory: pytest.TempPathFactory, nats_url: str
) -> Iterator[DeskPlatform]:
    root = tmp_path_factory.mktemp("outreach-points")
    running = start_desk_platform(root, nats_url, ("outreach",))
    try:
        yield running
    finally:
        running.stop()


def seeded(platform: DeskPlatform) -> None:
    """Two roving points and a station in Dinghai; a session held today at the first."""
    outreach, bearer = platform.services["outreach"].url, platform.admin_token()
    points = (
        {
            "point": "zhoushan/dinghai/ferry-square",
            "name": "渡口广场巡回服务点",
            "kind": "roving_point",
            "hours": {"mon": "08:00-12:00", "sat": "09:00-17:00"},
        },
        {"point": "zhoushan/dinghai/fish-market", "name": "鱼市巡回服务点", "kind": "roving_point"},
        {
            "point": "zhoushan/dinghai/harbour-station",
            "name": "港口工会驿站",
            "kind": "station",
            "amenities": ["hot_water", "microwave", "charging"],
            "hours": {"mon": "08:00-20:00"},
        },
    )
    for body in points:
        status, answer = call(outreach + "/points", "POST", bearer, body)
        assert status == 201, answer
    body = {"point": points[0]["point"], "on": TODAY.isoformat(), "services": ["legal_aid"]}
    status, made = call(outreach + "/sessions", "POST", bearer, body)
    assert status == 201, made
    status, held = call(
        outreach + f"/sessions/{made['session_id']}/held", "POST", bearer, {"staff": 2}
    )
    assert status == 200, held


def test_service_points_and_the_roving_points_that_missed_a_month(
    browser: Browser, outreach_platform: DeskPlatform
) -> None:
    platform = outreach_platform
    seeded(platform)
    officer_ctx, officer = signed_in(
        browser, platform, "dh.officer", "district_officer", "zhoushan/dinghai", "王强"
    )
    clerk_ctx, clerk = signed_in(
        browser, platform, "dh.clerk", "clerk", "zhoushan/dinghai/center", "李娜"
    )
    try:
        officer.goto(platform.url + "/outreach")
        officer.get_by_role("link", name="服务站点").first.click()
        ferry = officer.locator(".table tbody tr", has_text="渡口广场巡回服务点")
        expect(ferry).to_contain_text("周一 08:00-12:00")
        expect(ferry).to_contain_text("周六 09:00-17:00")
        expect(ferry.locator(".tag")).to_have_text("开放")
        station = officer.locator(".table tbody tr", has_text="港口工会驿站")
        expect(station).to_contain_text("工会驿站")
        expect(station).to_contain_text("热水、微波炉、手机充电")
        shot(officer, "outreach-points")

        # Closing needs a reason; with one, the point is closed, and opened again.
        market = officer.locator(".table tbody tr", has_text="鱼市巡回服务点")
        market.get_by_role("button", name="暂停服务").click()
        expect(officer.locator(".error-summary")).to_contain_text("请填写暂停服务的原因")
        market = officer.locator(".table tbody tr", has_text="鱼市巡回服务点")
        market.get_by_label("鱼市巡回服务点 暂停原因").fill("场地维修")
        market.get_by_role("button", name="暂停服务").click()
        expect(officer.get_by_role("status")).to_contain_text("服务站点已暂停服务")
        market = officer.locator(".table tbody tr", has_text="鱼市巡回服务点")
        expect(market.locator(".tag")).to_have_text("暂停服务")
        shot(officer, "outreach-point-closed")
        market.get_by_role("button", name="恢复开放").click()
        expect(officer.get_by_role("status")).to_contain_text("服务站点已恢复开放")
        expect(market.locator(".tag")).to_have_text("开放")

        # This month: the fish market held no session; the ferry square did; a station is no
        # roving point.
        officer.get_by_role("link", name="未按月巡回").first.click()
        expect(officer.get_by_label("月份")).to_have_value(f"{TODAY:%Y-%m}")
        rows = officer.locator(".table tbody tr")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text("鱼市巡回服务点")
        expect(rows.first).to_contain_text("定海区")
        shot(officer, "outreach-missed-sessions")
        officer.get_by_label("月份").fill("2026-13")
        officer.get_by_role("button", name="查询").click()
        expect(officer.locator(".error-summary")).to_contain_text("月份格式不正确，应写作 2026-11")
        shot(officer, "outreach-missed-bad-month")

        # A clerk reads the points but has no buttons to open or close them.
        clerk.goto(platform.url + "/outreach/points")
        expect(clerk.locator(".table")).to_contain_text("渡口广场巡回服务点")
        expect(clerk.get_by_role("button", name="暂停服务")).to_have_count(0)
    finally:
        officer_ctx.close()
        clerk_ctx.close()
