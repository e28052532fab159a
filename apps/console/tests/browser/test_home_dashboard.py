"""The home page's dashboard (首页, issue 15) in a real browser, against real members and
claims services on one NATS (relief and outreach not running): claims filed and paid this
month through the services' HTTP APIs, then

- the city admin's home shows this month's claims filed and paid, the amount paid and the new
  members, against 0 for last month's same days, each card linking to its report for this
  month; relief's and outreach's cards say 暂时无法读取 and the page still opens;
- a Putuo district officer sees only Putuo's figures;
- a clerk's home is the desks list, with no dashboard.

Screenshots: home-dashboard-city, home-dashboard-district (docs/console.md shows them)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, Page, expect

from . import test_reports_desk as reports
from .claims_platform import ClaimsPlatform, call
from .conftest import shot
from .test_claims_desk import signed_in

platform = reports.platform  # the reports desk's platform: members, claims, units, rules
TODAY, PUTUO, DINGHAI = reports.TODAY, reports.PUTUO, reports.DINGHAI
MONTH = {"from": TODAY.replace(day=1).isoformat(), "to": TODAY.isoformat()}


def figure(page: Page, group: str, key: str) -> Any:
    return page.locator(f'.dashboard-group[data-group="{group}"] [data-figure="{key}"]')


def this_month(platform: ClaimsPlatform, service: str) -> dict[str, dict[str, Any]]:
    """The service's own report figures for this month so far, per district."""
    process = platform.claims if service == "claims" else platform.members
    assert process is not None
    query = f"from={MONTH['from']}&to={MONTH['to']}"
    status, rows = call(f"{process.url}/reports/districts?{query}", "GET", platform.admin_token())
    assert status == 200, rows
    return {r["district"]: r for r in rows}


def test_the_city_admin_and_a_district_officer_see_this_month_against_last_month(
    browser: Browser, platform: ClaimsPlatform
) -> None:
    putuo = [reports.member(platform, PUTUO) for _ in range(2)]
    dinghai = reports.member(platform, DINGHAI)
    paid = reports.file(platform, putuo[0], PUTUO, "1000.00")
    reports.file(platform, putuo[1], PUTUO, "2000.00")  # approved, not paid yet
    dinghai_paid = reports.file(platform, dinghai, DINGHAI, "500.00")
    reports.pay(platform, paid["claim_id"], PUTUO)
    reports.pay(platform, dinghai_paid["claim_id"], DINGHAI)

    def settled() -> bool:
        claims, members = this_month(platform, "claims"), this_month(platform, "members")
        return (
            sum(r["paid"] for r in claims.values()) == 2
            and sum(r["filed"] for r in claims.values()) == 3
            and sum(r["joined"] for r in members.values()) == 3
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
            ("members", "joined"): "3",
        }
        for (group, key), text in expected.items():
            card = figure(page, group, key)
            expect(card.locator('[data-value="now"]')).to_have_text(text)
            expect(card.locator('[data-value="before"]')).to_have_text(
                "¥0.00" if key == "paid_amount" else "0"
            )
            expect(card.locator('[data-value="change"]')).to_have_text("↑ 上月同期为 0")
            link = f"/reports/{group}?start={MONTH['from']}&end={MONTH['to']}"
            expect(card).to_have_attribute("href", link)
        unanswered = [("relief", "person_times"), ("relief", "amount")]
        unanswered += [("outreach", "sessions_held"), ("outreach", "person_times")]
        for group, key in unanswered:
            expect(figure(page, group, key)).to_contain_text("暂时无法读取")
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
        shot(page, "home-dashboard-district")
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
