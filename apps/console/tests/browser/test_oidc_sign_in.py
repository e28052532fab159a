"""使用统一身份认证登录 in a real browser against a real OpenID provider (`oidc-provider` from
npm, run with Node by the test): authorization code + PKCE, the provider's own sign-in and
consent pages, back on the console as that person; a person without a role is refused."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from union_events.embedded import free_port

from .conftest import shot
from .oidc_provider import CLIENT_ID, CLIENT_SECRET, OpenIdProvider, start_provider
from .platform import Process, _register_orgs, start


@dataclass
class OidcPlatform:
    console: Process
    members: Process
    provider: OpenIdProvider
    data_dir: Path

    @property
    def url(self) -> str:
        return self.console.url


@pytest.fixture(scope="module")
def oidc_platform(
    tmp_path_factory: pytest.TempPathFactory, nats_url: str
) -> Iterator[OidcPlatform]:
    root = tmp_path_factory.mktemp("console-oidc")
    data_dir = root / "data"
    data_dir.mkdir()
    provider_port = free_port()
    members = start(
        "members",
        "members.main:app",
        {
            "NATS_URL": nats_url,
            "UNION_DATA_DIR": str(data_dir),
            "SERVICE_NAME": "members",
            "DATABASE_URL": f"sqlite+aiosqlite:///{data_dir / 'members.db'}",
            "OTEL_TRACES_EXPORTER": "none",
        },
        root,
    )
    console = start(
        "console",
        "console.main:app",
        {
            "UNION_DATA_DIR": str(data_dir),
            "CONSOLE_MEMBERS_URL": members.url,
            "CONSOLE_OIDC_ISSUER": f"http://127.0.0.1:{provider_port}",  # discovered on first use
            "CONSOLE_OIDC_CLIENT_ID": CLIENT_ID,
            "CONSOLE_OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "CONSOLE_OIDC_SCOPES": "openid profile union",
            "CONSOLE_OIDC_ROLE_CLAIM": "role",
            "CONSOLE_OIDC_ORG_CLAIM": "org",
        },
        root,
    )
    provider = None
    try:
        members.wait_ready()
        _register_orgs(members.url, data_dir)
        console.wait_ready()
        provider = start_provider(provider_port, console.url + "/login/oidc/callback", root)
        yield OidcPlatform(console, members, provider, data_dir)
    finally:
        if provider is not None:
            provider.stop()
        console.stop()
        members.stop()


def sign_in_at_the_provider(page: Page, platform: OidcPlatform, login: str) -> None:
    page.goto(platform.url + "/login")
    page.get_by_role("link", name="使用统一身份认证登录").click()
    expect(page).to_have_url(re.compile(re.escape(platform.provider.issuer) + "/interaction/"))
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password: the provider's dev pages")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()  # the provider's consent page


def test_a_person_signs_in_at_the_provider_and_lands_on_the_console(
    page: Page, oidc_platform: OidcPlatform
) -> None:
    page.goto(oidc_platform.url + "/login")
    expect(page.get_by_role("link", name="使用统一身份认证登录")).to_be_visible()
    shot(page, "login-oidc")

    sign_in_at_the_provider(page, oidc_platform, "li.na")
    expect(page).to_have_url(oidc_platform.url + "/")
    expect(page.locator(".user-name")).to_have_text("李娜")
    expect(page.locator(".userbox .tag")).to_have_text("窗口经办人员")
    # named by members: it answered the platform token the console signed for oidc:li.na
    expect(page.locator(".user-org")).to_have_text("普陀区职工服务中心")
    expect(page.locator(".menu")).to_contain_text("互助保障")
    expect(page.locator(".menu")).not_to_contain_text("账号管理")
    expect(page.get_by_role("link", name="修改密码")).to_have_count(0)  # the provider's job
    shot(page, "home-oidc-clerk")

    page.goto(oidc_platform.url + "/password")
    expect(page.locator("main")).to_contain_text("密码请在统一身份认证平台修改")
    page.goto(oidc_platform.url + "/")
    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(re.compile(r"/login\?reason=signed_out$"))
    page.goto(oidc_platform.url + "/claims")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fclaims$"))


def test_an_officer_from_the_provider_gets_their_role_and_district(
    page: Page, oidc_platform: OidcPlatform
) -> None:
    page.goto(oidc_platform.url + "/login?next=%2Faccounts")
    page.get_by_role("link", name="使用统一身份认证登录").click()
    page.locator("input[name=login]").fill("chen.gang")
    page.locator("input[name=password]").fill("x")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(oidc_platform.url + "/accounts")  # back to the page asked for
    expect(page.locator(".userbox .tag")).to_have_text("区县审核人员")
    expect(page.locator(".user-org")).to_have_text("定海区总工会")


def test_a_person_without_the_role_claim_is_refused_in_chinese(
    page: Page, oidc_platform: OidcPlatform
) -> None:
    sign_in_at_the_provider(page, oidc_platform, "wang.qiang")
    expect(page).to_have_url(re.compile(r"/login/oidc/callback\?"))
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("统一身份认证平台没有提供您在工作台的角色（role），无法登录")
    shot(page, "login-oidc-refused")
    page.goto(oidc_platform.url + "/")
    expect(page).to_have_url(re.compile(r"/login\?next=%2F$"))  # no session was started


def test_a_callback_without_its_pending_sign_in_is_refused(
    page: Page, oidc_platform: OidcPlatform
) -> None:
    page.goto(oidc_platform.url + "/login/oidc/callback?code=forged&state=forged")
    expect(page.locator(".error-summary")).to_contain_text("登录未完成或已超时")
    page.goto(oidc_platform.url + "/")
    expect(page).to_have_url(re.compile(r"/login\?next=%2F$"))
