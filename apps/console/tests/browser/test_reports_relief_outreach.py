"""The relief and outreach reports (统计报表) in a real browser, against real members, relief
and outreach services on one NATS: a grant disbursed and a roving session held with check-ins
and an intake, through the services' HTTP APIs; the city admin's report pages show them, and
their Excel files read back with openpyxl match the services' own report endpoints.

Each report page saves a screenshot under docs/console/ (docs/console.md shows them)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, expect

from .claims_platform import call
from .conftest import shot
from .desk_platform import DeskPlatform, start_desk_platform
from .test_claims_desk import signed_in

TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()
DINGHAI = "zhoushan/dinghai"
PERIOD = {"from": f"{TODAY.year}-01-01", "to": TODAY.isoformat()}


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory, nats_url: str) -> Iterator[DeskPlatform]:
    root = tmp_path_factory.mktemp("reports-relief-outreach")
    running = start_desk_platform(root, nats_url, ("relief", "outreach"))
    try:
        yield running
    finally:
        running.stop()


def ok(status: int, answer: Any, *expected: int) -> Any:
    assert status in (expected or (200, 201)), answer
    return answer


def seed(platform: DeskPlatform) -> None:
    relief, outreach = platform.services["relief"].url, platform.services["outreach"].url
    admin = platform.admin_token()
    member = platform.member(8101, "陆帮扶")
    budget = {"district": DINGHAI, "year": TODAY.year, "kind": "living_assistance"}
    ok(*call(relief + "/budgets", "PUT", admin, budget | {"amount": "10000.00"}))
    body = {"member_id": member["member_id"], "district": DINGHAI}
    body |= {"kind": "living_assistance", "amount": "1200.00"}
    application = ok(*call(relief + "/applications", "POST", admin, body))
    url = f"{relief}/applications/{application['application_id']}"
    ok(*call(url + "/approve", "POST", admin, {}))
    ok(*call(url + "/disburse", "POST", admin, {}))
    point = {"point": f"{DINGHAI}/ferry-square", "name": "渡口广场", "kind": "roving_point"}
    ok(*call(outreach + "/points", "POST", admin, point | {"amenities": [], "hours": {}}))
    body = {"point": point["point"], "on": TODAY.isoformat(), "services": ["legal_aid"]}
    session = ok(*call(outreach + "/sessions", "POST", admin, body))
    url = f"{outreach}/sessions/{session['session_id']}"
    ok(*call(url + "/held", "POST", admin, {"staff": 2}))
    ok(*call(url + "/check-ins", "POST", admin, {"anonymous": 3}))
    intake = {"kind": "wage_arrears", "channel": "online", "district": DINGHAI}
    intake["summary"] = "渔业公司拖欠三个月工资"
    ok(*call(outreach + "/intakes", "POST", admin, intake))


def endpoint(platform: DeskPlatform, service: str, district: str | None = None) -> Any:
    query = f"from={PERIOD['from']}&to={PERIOD['to']}" + (
        f"&district={district}" if district else ""
    )
    url = f"{platform.services[service].url}/reports/districts?{query}"
    return ok(*call(url, "GET", platform.admin_token()), 200)


def test_the_relief_and_outreach_reports_match_the_services_report_endpoints(
    browser: Browser, platform: DeskPlatform
) -> None:
    seed(platform)
    deadline = time.monotonic() + 30
    while (
        not endpoint(platform, "relief")
        or not endpoint(platform, "outreach", DINGHAI)["intakes_by_kind"]
    ):
        assert time.monotonic() < deadline, "the report read models never caught up"
        time.sleep(0.3)
    context, page = signed_in(
        browser, platform, "city-admin", "city_admin", "zhoushan", "市总管理员"
    )  # type: ignore[arg-type]
    query = f"start={PERIOD['from']}&end={PERIOD['to']}"
    try:
        page.goto(platform.url + f"/reports/relief?{query}")
        dinghai = page.locator(".report-table tbody tr", has_text="定海区总工会")
        expect(dinghai.locator('td[data-key="living_assistance_amount"]')).to_have_text("¥1,200.00")
        expect(page.locator(".report-totals")).to_contain_text("全市合计")
        expect(dinghai.locator('td[data-key="budget"]')).to_have_text("¥10,000.00")
        expect(dinghai.locator('td[data-key="committed"]')).to_have_text("¥1,200.00")
        shot(page, "reports-relief-city")
        with page.expect_download() as info:
            page.get_by_role("link", name="下载 Excel").click()
        sheet = load_workbook(BytesIO(open(info.value.path(), "rb").read())).active
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        assert rows[0][0] == "困难帮扶统计报表"
        headings = rows[5]
        by_name = {r[0]: dict(zip(headings, r, strict=True)) for r in rows[6:]}
        want = {r["district"]: r for r in endpoint(platform, "relief")}[DINGHAI]
        assert by_name["定海区总工会"]["合计人次"] == want["person_times"]
        assert Decimal(str(by_name["定海区总工会"]["合计金额"])) == Decimal(want["amount"])
        assert Decimal(str(by_name["全市合计"]["生活救助金额"])) == Decimal("1200.00")
        budget = call(
            f"{platform.services['relief'].url}/budgets?district={DINGHAI}&year={TODAY.year}"
            "&kind=living_assistance", "GET", platform.admin_token(),
        )[1]  # fmt: skip
        got = by_name["定海区总工会"]
        assert Decimal(str(got[f"{TODAY.year}年度救助预算"])) == Decimal(budget["amount"])
        assert Decimal(str(got[f"{TODAY.year}年度预算已用"])) == Decimal(budget["committed"])

        page.goto(platform.url + f"/reports/outreach?{query}")
        dinghai = page.locator(".report-table tbody tr", has_text="定海区总工会")
        expect(dinghai.locator('td[data-key="sessions_held"]')).to_have_text("1")
        shot(page, "reports-outreach-city")
        with page.expect_download() as info:
            page.get_by_role("link", name="下载 Excel").click()
        sheet = load_workbook(BytesIO(open(info.value.path(), "rb").read())).active
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        assert rows[0][0] == "职工服务统计报表"
        headings = rows[5]
        by_name = {r[0]: dict(zip(headings, r, strict=True)) for r in rows[6:]}
        want = endpoint(platform, "outreach", DINGHAI)
        got = by_name["定海区总工会"]
        assert got["巡回服务场次"] == want["sessions_held"] == 1
        assert got["服务人次"] == want["person_times"]
        assert got["诉求：欠薪"] == want["intakes_by_kind"]["wage_arrears"] == 1
        assert by_name["全市合计"]["诉求受理件数"] == 1
    finally:
        context.close()
