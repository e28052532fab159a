"""The home page's dashboard (首页, issue 15) in a real browser, against real members, claims,
relief and outreach services on one NATS: claims filed and paid, a grant disbursed and a roving
session held this month through the services' HTTP APIs, then

- the city admin's home shows this month's claims filed and paid, the amount paid, the new
  members, relief's and outreach's figures, against 0 for last month's same days, each card
  linking to its report for this month; with outreach stopped, its cards say 暂时无法读取 and
  the page still opens;
- a Putuo district officer sees only Putuo's figures;
- a clerk's home is the desks list, with no dashboard.

Screenshots: home-dashboard-city, home-dashboard-district (docs/console.md shows them)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from console.bootstrap import create_app
from console.reports.routes import REPORTS
from console.web.lists import XLSX
from playwright.sync_api import Browser, Page, expect

from . import test_reports_desk as reports
from . import test_reports_relief_outreach as relief_outreach
from .claims_platform import ORGS, call
from .conftest import shot
from .desk_platform import DeskPlatform, start_desk_platform
from .platform import Process
from .test_claims_desk import signed_in

TODAY, PUTUO, DINGHAI = reports.TODAY, reports.PUTUO, reports.DINGHAI
MONTH = {"from": TODAY.replace(day=1).isoformat(), "to": TODAY.isoformat()}


@dataclass
class AllPlatform(DeskPlatform):
    """Members, claims, relief and outreach; `claims` as the reports desk's helpers want it."""

    @property
    def claims(self) -> Process:
        return self.services["claims"]


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory, nats_url: str) -> Iterator[AllPlatform]:
    root = tmp_path_factory.mktemp("home-dashboard")
    desk = start_desk_platform(root, nats_url, ("claims", "relief", "outreach"))
    running = AllPlatform(
        desk.data_dir, desk.console, desk.members, desk.settings, services=desk.services
    )
    try:
        admin = running.admin_token()
        deadline = time.monotonic() + 30
        for path, _, _ in ORGS:  # claims hears the orgs from members, over NATS
            while call(f"{running.claims.url}/orgs/{path}", "GET", admin)[0] != 200:
                assert time.monotonic() < deadline, f"claims never heard of {path}"
                time.sleep(0.2)
        for district, unit in reports.UNITS.items():
            body = {"path": unit, "name": f"{district} 首页测试单位工会", "level": "unit"}
            status, answer = call(running.members.url + "/orgs", "POST", admin, body)
            assert status == 201, answer
        for year in {reports.YEAR, reports.YEAR - 1}:
            url = f"{running.claims.url}/plans/inpatient/years/{year}"
            status, answer = call(url, "PUT", admin, reports.rules(year))
            assert status == 200, answer
        hospital = {"name": "舟山医院", "city": "zhoushan"}
        status, answer = call(running.claims.url + "/hospitals/ZS-001", "PUT", admin, hospital)
        assert status in (200, 201), answer
        yield running
    finally:
        running.stop()


def figure(page: Page, group: str, key: str) -> Any:
    return page.locator(f'.dashboard-group[data-group="{group}"] [data-figure="{key}"]')


def this_month(platform: AllPlatform, service: str) -> dict[str, dict[str, Any]]:
    """The service's own report figures for this month so far, per district."""
    process = platform.members if service == "members" else platform.services[service]
    assert process is not None
    query = f"from={MONTH['from']}&to={MONTH['to']}"
    status, rows = call(f"{process.url}/reports/districts?{query}", "GET", platform.admin_token())
    assert status == 200, rows
    return {r["district"]: r for r in rows}


# Every page of the console a link can reach without an id (from the console's own route table),
# plus the reports. Sign-in and OpenID Connect pages are the sign-in tests'.
NOT_CRAWLED = ("/login", "/login/oidc", "/login/oidc/callback")
REPORT_PAGES = tuple(f"/reports/{key}" for key in REPORTS) + tuple(
    f"/reports/{key}.xlsx" for key in REPORTS
)


def console_pages() -> list[str]:
    paths = create_app().openapi()["paths"]
    plain = [p for p, ops in paths.items() if "get" in ops and "{" not in p]
    return [p for p in plain if p not in NOT_CRAWLED] + list(REPORT_PAGES)


def test_every_page_opens_for_every_role_or_says_why_in_chinese(
    browser: Browser, platform: AllPlatform
) -> None:
    """Run before the dashboard test (which stops outreach): no page of any desk answers a
    500 to a city admin, a district officer or a clerk; a page that is not theirs says why in
    Chinese (403); an Excel link gives a workbook."""
    pages = console_pages()
    assert "/outreach/campaigns" in pages and "/claims/review.xlsx" in pages
    staff = (
        ("crawl-admin", "city_admin", "zhoushan", "市总巡检"),
        ("crawl-officer", "district_officer", PUTUO, "普陀巡检"),
        ("crawl-clerk", "clerk", f"{PUTUO}/center", "普陀窗口巡检"),
    )
    broken: list[str] = []
    for user, role, org, name in staff:
        context, _ = signed_in(browser, platform, user, role, org, name)
        try:
            for path in pages:
                answer = context.request.get(platform.url + path, max_redirects=0)
                kind = answer.headers.get("content-type", "")
                if answer.status >= 500:
                    broken.append(f"{role} {path}: {answer.status}")
                elif answer.status == 200 and path.endswith(".xlsx"):
                    if not kind.startswith(XLSX):
                        broken.append(f"{role} {path}: 200 {kind}")
                elif answer.status in (200, 403, 404):
                    body = answer.text()
                    if 'lang="zh-CN"' not in body or "Internal Server Error" in body:
                        broken.append(f"{role} {path}: {answer.status} not a Chinese page")
                elif answer.status not in (302, 303):
                    broken.append(f"{role} {path}: {answer.status}")
        finally:
            context.close()
    assert not broken, "\n".join(broken)


def test_the_city_admin_and_a_district_officer_see_this_month_against_last_month(
    browser: Browser, platform: AllPlatform
) -> None:
    putuo = [reports.member(platform, PUTUO) for _ in range(2)]
    dinghai = reports.member(platform, DINGHAI)
    paid = reports.file(platform, putuo[0], PUTUO, "1000.00")
    reports.file(platform, putuo[1], PUTUO, "2000.00")  # approved, not paid yet
    dinghai_paid = reports.file(platform, dinghai, DINGHAI, "500.00")
    reports.pay(platform, paid["claim_id"], PUTUO)
    reports.pay(platform, dinghai_paid["claim_id"], DINGHAI)
    relief_outreach.seed(platform)  # a Dinghai member, a grant of 1,200.00, a roving session

    def settled() -> bool:
        claims, members = this_month(platform, "claims"), this_month(platform, "members")
        return (
            sum(r["paid"] for r in claims.values()) == 2
            and sum(r["filed"] for r in claims.values()) == 3
            and sum(r["joined"] for r in members.values()) == 4
            and this_month(platform, "relief") != {}
            and relief_outreach.endpoint(platform, "outreach", DINGHAI)["sessions_held"] == 1
        )

    reports.wait_for(settled, "this month's claims and members never reached the reports")

    context, page = signed_in(browser, platform, "city-admin", "city_admin", "zhoushan",
                              "市总管理员")  # fmt: skip
    try:
        board = page.locator(".dashboard")
        expect(board).to_contain_text("舟山市总工会（全市）")
        expect(board).to_contain_text(f"本月（{TODAY.month}月1日至{TODAY.month}月{TODAY.day}日）")
        expected = {
            ("claims", "filed"): "3",
            ("claims", "paid"): "2",
            ("claims", "paid_amount"): "¥1,500.00",
            ("members", "joined"): "4",
            ("relief", "person_times"): "1",
            ("relief", "amount"): "¥1,200.00",
            ("outreach", "sessions_held"): "1",
            ("outreach", "person_times"): "3",
        }
        for (group, key), text in expected.items():
            card = figure(page, group, key)
            expect(card.locator('[data-value="now"]')).to_have_text(text)
            expect(card.locator('[data-value="before"]')).to_have_text(
                "¥0.00" if text.startswith("¥") else "0"
            )
            expect(card.locator('[data-value="change"]')).to_have_text("↑ 上月同期为 0")
            link = f"/reports/{group}?start={MONTH['from']}&end={MONTH['to']}"
            expect(card).to_have_attribute("href", link)
        expect(page.locator(".dashboard .chart canvas").first).to_be_visible()  # ECharts drew
        expect(page.locator(".desk-grid")).to_contain_text("统计报表")  # the desks still there
        shot(page, "home-dashboard-city")
        figure(page, "claims", "paid_amount").click()
        expect(page.locator(".report-meta")).to_contain_text(f"{TODAY.month}月1日")
        totals = page.locator(".report-totals")
        expect(totals.locator('td[data-key="filed"]')).to_have_text("3")
        expect(totals.locator('td[data-key="paid_amount"]')).to_have_text("¥1,500.00")
    finally:
        context.close()

    context, page = signed_in(browser, platform, "putuo-officer", "district_officer", PUTUO,
                              "普陀审核员")  # fmt: skip
    try:
        expect(page.locator(".dashboard")).to_contain_text("普陀区总工会")
        expect(page.locator(".dashboard")).not_to_contain_text("全市")
        for (group, key), text in {
            ("claims", "filed"): "2",
            ("claims", "paid"): "1",
            ("claims", "paid_amount"): "¥1,000.00",
            ("members", "joined"): "2",
        }.items():
            expect(figure(page, group, key).locator('[data-value="now"]')).to_have_text(text)
        for group, key, nothing in (
            ("relief", "amount", "¥0.00"),
            ("outreach", "person_times", "0"),
        ):
            expect(figure(page, group, key).locator('[data-value="now"]')).to_have_text(nothing)
        shot(page, "home-dashboard-district")
        platform.services["outreach"].stop()  # outreach does not answer: the page still opens
        page.reload()
        for key in ("sessions_held", "person_times"):
            expect(figure(page, "outreach", key)).to_contain_text("暂时无法读取")
        expect(page.locator('.dashboard-group[data-group="outreach"]')).to_contain_text(
            "职工服务业务系统暂时没有应答"
        )
        expect(figure(page, "claims", "filed").locator('[data-value="now"]')).to_have_text("2")
        shot(page, "home-dashboard-unavailable")
    finally:
        context.close()

    context, page = signed_in(browser, platform, "putuo-clerk", "clerk", f"{PUTUO}/center",
                              "普陀经办员")  # fmt: skip
    try:
        expect(page.locator(".desk-grid .desk-card").first).to_be_visible()
        expect(page.locator(".dashboard")).to_have_count(0)
        expect(page.locator("#main")).not_to_contain_text("本月数据一览")
    finally:
        context.close()
