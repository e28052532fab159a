"""The console's foundation in a real browser: sign-in, the password change, lock-out, CSRF,
the idle timeout, account administration, the desks' landing pages, the response headers.

Each page test saves a screenshot under docs/console/ (docs/console.md shows them)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import shot
from .platform import Platform, start_platform

NEW_PASSWORD = "Zhoushan2026a"


def sign_in(page: Page, platform: Platform, username: str, password: str) -> None:
    page.goto(platform.url + "/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录").click()


def first_sign_in(page: Page, platform: Platform, username: str, one_time: str) -> None:
    """Sign in with the one-time password and choose a new one, as the page demands."""
    sign_in(page, platform, username, one_time)
    expect(page).to_have_url(re.compile(r"/password$"))
    page.get_by_label("当前密码").fill(one_time)
    page.get_by_label("新密码", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("再次输入新密码").fill(NEW_PASSWORD)
    page.get_by_role("button", name="保存新密码").click()
    expect(page.locator(".notice-success")).to_contain_text("密码已修改")


def with_staff(
    platform: Platform, browser: Browser, staff: tuple[tuple[str, str, str, str], ...]
) -> None:
    """Accounts for `staff` (user name, role, org path, display name), each of whom has signed
    in once and chosen `NEW_PASSWORD`."""
    for username, role, org, name in staff:
        one_time = platform.make_account(username, role, org, name)
        context = browser.new_context()
        first_sign_in(context.new_page(), platform, username, one_time)
        context.close()


def test_the_first_sign_in_forces_the_password_change(page: Page, platform: Platform) -> None:
    one_time = platform.make_account("admin", "city_admin", "zhoushan", "陈建华")
    page.goto(platform.url + "/")
    expect(page).to_have_url(re.compile(r"/login\?next=%2F$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    shot(page, "login")

    sign_in(page, platform, "admin", one_time)
    expect(page).to_have_url(re.compile(r"/password$"))
    expect(page.locator(".notice-warning")).to_contain_text("首次登录")
    page.goto(platform.url + "/accounts")  # nothing else opens before the change
    expect(page).to_have_url(re.compile(r"/password$"))
    shot(page, "password-first-sign-in")

    page.get_by_label("当前密码").fill(one_time)
    page.get_by_label("新密码", exact=True).fill("short")
    page.get_by_label("再次输入新密码").fill("different")
    page.get_by_role("button", name="保存新密码").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("有以下问题需要处理")
    expect(summary).to_contain_text("两次输入的新密码不一致")
    expect(summary).to_be_focused()
    shot(page, "password-errors")
    summary.get_by_role("link", name="两次输入的新密码不一致").click()
    expect(page.get_by_label("再次输入新密码")).to_be_focused()

    page.get_by_label("当前密码").fill(one_time)
    page.get_by_label("新密码", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("再次输入新密码").fill(NEW_PASSWORD)
    page.get_by_role("button", name="保存新密码").click()
    expect(page.locator(".notice-success")).to_contain_text("密码已修改")
    expect(page.locator(".user-org")).to_have_text("舟山市总工会")  # named by members
    expect(page.locator(".menu")).to_contain_text("账号管理")
    shot(page, "home-city-admin")


def test_five_wrong_passwords_lock_the_account(page: Page, platform: Platform) -> None:
    one_time = platform.make_account("zhou.min", "clerk", "zhoushan/putuo/center", "周敏")
    for attempt in range(1, 5):
        sign_in(page, platform, "zhou.min", f"wrong-{attempt}")
        expect(page.locator(".error-summary")).to_contain_text("用户名或密码不正确")
    expect(page.locator(".error-summary")).to_contain_text("再错 1 次，账号将被锁定 15 分钟")
    sign_in(page, platform, "zhou.min", "wrong-5")
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("该账号已被锁定：连续 5 次密码错误")
    expect(summary).to_contain_text("请在 15 分钟后")
    shot(page, "login-locked")
    sign_in(page, platform, "zhou.min", one_time)  # the right one, too late
    expect(page.locator(".error-summary")).to_contain_text("已被锁定")
    expect(page).to_have_url(re.compile(r"/login$"))


def test_a_form_posted_without_its_csrf_token_is_refused(page: Page, platform: Platform) -> None:
    one_time = platform.make_account("csrf.admin", "city_admin", "zhoushan", "吴刚")
    first_sign_in(page, platform, "csrf.admin", one_time)
    page.goto(platform.url + "/accounts/new")
    page.locator("#main input[name=csrf_token]").evaluate("input => input.remove()")
    page.get_by_label("用户名").fill("forged.user")
    page.get_by_label("姓名").fill("伪造")
    page.get_by_label("所属单位").fill("zhoushan/dinghai")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="创建账号").click()
    assert answer.value.status == 403
    expect(page.locator("h1")).to_have_text("提交未被接受")
    expect(page.locator(".lead")).to_contain_text("页面已过期或来源不明")
    shot(page, "csrf-refused")
    # nor does a post from elsewhere, with the browser's cookies but no token
    forged = page.request.post(platform.url + "/accounts", form={"username": "forged.two"})
    assert forged.status == 403
    page.goto(platform.url + "/accounts?q=forged")
    expect(page.locator(".table")).to_contain_text("没有符合条件的账号")


@pytest.fixture(scope="module")
def impatient(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    """A console whose sessions end after 3 idle seconds (CONSOLE_SESSION_IDLE_MINUTES)."""
    running = start_platform(
        tmp_path_factory.mktemp("idle"), None, idle_minutes=0.05, with_members=False
    )
    try:
        yield running
    finally:
        running.stop()


def test_a_session_past_its_idle_timeout_is_sent_to_sign_in(
    page: Page, impatient: Platform
) -> None:
    one_time = impatient.make_account("idle.clerk", "clerk", "zhoushan/dinghai/center", "郑丽")
    first_sign_in(page, impatient, "idle.clerk", one_time)
    page.goto(impatient.url + "/members")
    expect(page.locator("h1")).to_have_text("会员查询")
    time.sleep(3.5)  # the idle timeout itself, not an event to wait for
    page.goto(impatient.url + "/claims")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fclaims&reason=idle$"))
    expect(page.locator(".notice-info")).to_contain_text("已自动退出")
    shot(page, "login-idle")
    page.get_by_label("用户名").fill("idle.clerk")
    page.get_by_label("密码", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/claims$"))  # back where they were


def test_a_city_admin_creates_a_district_officer_and_a_clerk(
    browser: Browser, page: Page, platform: Platform
) -> None:
    one_time = platform.make_account("city.admin", "city_admin", "zhoushan", "林海")
    first_sign_in(page, platform, "city.admin", one_time)
    page.get_by_role("link", name="账号管理").first.click()
    page.get_by_role("link", name="新建账号").click()

    page.get_by_label("用户名").fill("X")  # bad input: re-rendered with the error summary
    page.get_by_label("所属单位").fill("")
    page.get_by_role("button", name="创建账号").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("用户名须为 3 到 32 位小写字母")
    expect(summary).to_contain_text("请填写姓名")
    expect(summary).to_contain_text("请填写所属单位")
    expect(page.get_by_label("用户名")).to_have_value("X")
    shot(page, "account-new-errors")

    issued: dict[str, str] = {}
    for username, name, role, org in (
        ("putuo.officer", "王强", "区县审核人员", "zhoushan/putuo"),
        ("putuo.clerk", "李娜", "窗口经办人员", "zhoushan/putuo/center"),
    ):
        page.goto(platform.url + "/accounts/new")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("姓名").fill(name)
        page.get_by_label("角色").select_option(label=role)
        page.get_by_label("所属单位").fill(org)
        if username == "putuo.officer":
            shot(page, "account-new")
        page.get_by_role("button", name="创建账号").click()
        expect(page.locator(".panel-title")).to_have_text("账号已创建")
        issued[username] = page.get_by_test_id("one-time-password").inner_text()
        if username == "putuo.officer":
            shot(page, "account-issued")

    page.goto(platform.url + "/accounts?q=putuo")
    rows = page.locator(".table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("区县审核人员")
    expect(rows.first).to_contain_text("待首次登录")
    expect(page.locator(".pager")).to_contain_text("共 2 条")
    shot(page, "accounts-list")

    officer = browser.new_context(viewport={"width": 1366, "height": 800}, locale="zh-CN")
    try:
        officer_page = officer.new_page()
        first_sign_in(officer_page, platform, "putuo.officer", issued["putuo.officer"])
        expect(officer_page.locator(".user-org")).to_have_text("普陀区总工会")
        officer_page.get_by_role("link", name="账号管理").first.click()
        expect(officer_page.locator(".table")).to_contain_text("putuo.clerk")
        expect(officer_page.locator(".table")).not_to_contain_text("city.admin")  # not his
    finally:
        officer.close()

    page.goto(platform.url + "/accounts?q=putuo.officer")
    page.get_by_role("link", name="查看").click()
    history = page.locator(".table")
    expect(history).to_contain_text("新建账号：区县审核人员")
    expect(history).to_contain_text("林海")  # who created it
    expect(history).to_contain_text("本人修改密码")
    shot(page, "account-detail")

    page.get_by_role("link", name="重置密码").click()
    expect(page.locator("h1")).to_have_text("确认重置密码")
    shot(page, "account-reset-confirm")
    page.get_by_role("button", name="确认重置密码").click()
    expect(page.locator(".panel-title")).to_have_text("密码已重置")
    assert page.get_by_test_id("one-time-password").inner_text() != issued["putuo.officer"]


def test_a_clerk_cannot_open_account_administration(page: Page, platform: Platform) -> None:
    one_time = platform.make_account("dinghai.clerk", "clerk", "zhoushan/dinghai/center", "张伟")
    first_sign_in(page, platform, "dinghai.clerk", one_time)
    expect(page.locator(".user-org")).to_have_text("定海区职工服务中心")
    expect(page.locator(".menu")).not_to_contain_text("账号管理")
    shot(page, "home-clerk")
    response = page.goto(platform.url + "/accounts")
    assert response is not None and response.status == 403
    expect(page.locator("h1")).to_have_text("无权访问此页面")
    expect(page.locator(".lead")).to_contain_text("账号管理仅限市总管理员和区县审核人员使用")
    expect(page.locator(".lead")).to_contain_text("窗口经办人员")
    shot(page, "accounts-forbidden-clerk")


def test_an_unknown_page_is_a_chinese_not_found_page(page: Page, platform: Platform) -> None:
    one_time = platform.make_account("desk.clerk", "clerk", "zhoushan/putuo/center", "刘洋")
    first_sign_in(page, platform, "desk.clerk", one_time)
    response = page.goto(platform.url + "/no-such-page")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("页面不存在")


def test_responses_carry_a_strict_policy_and_the_session_cookie_is_httponly_and_lax(
    page: Page, platform: Platform
) -> None:
    response = page.goto(platform.url + "/login")
    assert response is not None
    headers = response.headers
    policy = headers["content-security-policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'"):
        assert directive in policy
    assert "unsafe-inline" not in policy
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert "no-store" in headers["cache-control"]
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    one_time = platform.make_account("cookie.clerk", "clerk", "zhoushan/putuo/center", "孙丽")
    first_sign_in(page, platform, "cookie.clerk", one_time)
    cookies = {c["name"]: c for c in page.context.cookies()}
    session = cookies["console_session"]
    assert session["httpOnly"] and session["sameSite"] == "Lax" and not session["secure"]
    assert cookies["console_csrf"]["httpOnly"]
    assert page.evaluate("typeof htmx") == "object"  # served by the console, no CDN
    assert errors == []  # nothing the policy had to block
