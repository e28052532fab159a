"""OpenID Connect: the claims that make an identity (or a Chinese refusal), the pending sign-in
cookie, and the platform token signed for a provider's person (its `oidc:` subject). The whole
flow against a real provider is tests/browser/test_oidc_sign_in.py."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from console.auth.oidc import OidcConfig, OidcRefused, PendingLogin, identity_from_claims
from console.auth.platform_tokens import PlatformTokens
from console.auth.sessions import Session
from console.bootstrap import create_app
from console.settings import ConsoleSettings
from fastapi.testclient import TestClient
from union_events.tokens import ensure_keypair, verify_token

CONFIG = OidcConfig(issuer="https://id.example.org", client_id="console", client_secret="s")
CLAIMS = {"sub": "u-17", "preferred_username": "li.na", "name": "李娜"}
CLERK = {**CLAIMS, "role": "clerk", "org": "zhoushan/putuo/center"}


def test_the_role_and_org_claims_make_the_identity_with_a_prefixed_subject() -> None:
    identity = identity_from_claims(CLERK, CONFIG)
    assert identity.account_id == "oidc:u-17"
    assert (identity.username, identity.display_name) == ("li.na", "李娜")
    assert (identity.role, identity.org) == ("clerk", "zhoushan/putuo/center")
    assert identity.provider == "oidc"
    assert identity.must_change_password is False


def test_claims_may_be_nested_and_a_list_of_groups_gives_the_most_senior_console_role() -> None:
    config = OidcConfig(
        issuer="https://id.example.org",
        client_id="console",
        client_secret="s",
        role_claim="realm_access.roles",
        org_claim="union.org",
    )
    claims = {
        **CLAIMS,
        "realm_access": {"roles": ["offline_access", "clerk", "district_officer"]},
        "union": {"org": "zhoushan/dinghai"},
    }
    identity = identity_from_claims(claims, config)
    assert (identity.role, identity.org) == ("district_officer", "zhoushan/dinghai")


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ({"org": "zhoushan/putuo"}, "没有提供您在工作台的角色（role）"),
        ({"role": "", "org": "zhoushan/putuo"}, "没有提供您在工作台的角色（role）"),
        ({"role": "member", "org": "zhoushan/putuo"}, "角色“member”不是工作台的角色"),
        ({"role": ["staff", "viewer"], "org": "zhoushan"}, "角色“staff、viewer”不是工作台的角色"),
        ({"role": "clerk"}, "没有提供您的所属单位（org）"),
        ({"role": "clerk", "org": "Zhoushan Putuo"}, "不是有效的组织代码"),
        ({"role": "clerk", "org": "zhoushan"}, "与角色“窗口经办人员”不符"),
        ({"role": "city_admin", "org": "zhoushan/putuo"}, "应为市级组织代码"),
    ],
)
def test_a_missing_or_invalid_role_or_org_is_refused_in_chinese(extra: dict, words: str) -> None:
    with pytest.raises(OidcRefused) as refused:
        identity_from_claims({**CLAIMS, **extra}, CONFIG)
    assert words in refused.value.message


def test_the_pending_sign_in_is_sealed_single_purpose_and_expires() -> None:
    key = b"k" * 32
    pending = PendingLogin.new("/claims", now=1000.0)
    assert len(pending.verifier) >= 43 and pending.challenge != pending.verifier
    assert PendingLogin.open(pending.seal(key), key, now=1500.0) == pending
    with pytest.raises(OidcRefused):
        PendingLogin.open(pending.seal(key), key, now=1000.0 + 601)  # too old
    with pytest.raises(OidcRefused):
        PendingLogin.open(pending.seal(key), b"x" * 32, now=1500.0)  # another console's
    body, mac = pending.seal(key).split(".")
    with pytest.raises(OidcRefused):
        PendingLogin.open(body[:-4] + "AAAA." + mac, key, now=1500.0)  # altered
    with pytest.raises(OidcRefused):
        PendingLogin.open("", key)


def test_the_pkce_challenge_is_s256_of_the_verifier() -> None:
    # RFC 7636, appendix B
    pending = PendingLogin("s", "n", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", "/", 0.0)
    assert pending.challenge == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_the_platform_token_of_a_provider_s_person_names_them_for_the_services(
    tmp_path: Path,
) -> None:
    private, public = ensure_keypair(tmp_path)
    identity = identity_from_claims(CLERK, CONFIG)
    now = datetime(2026, 5, 1, tzinfo=UTC)
    token = PlatformTokens(private.read_bytes(), ttl_seconds=900, issuer="unionctl").for_session(
        Session("sid", identity, now, now, now)
    )
    claims = verify_token(token, public.read_bytes(), issuer="unionctl")  # as the services do
    assert (claims["sub"], claims["role"], claims["org"]) == (
        "oidc:u-17",
        "clerk",
        "zhoushan/putuo/center",
    )


def test_oidc_needs_a_client_id_and_asks_for_openid() -> None:
    with pytest.raises(ValueError, match="CONSOLE_OIDC_CLIENT_ID"):
        OidcConfig.from_settings(ConsoleSettings(oidc_issuer="https://id.example.org"))
    config = OidcConfig.from_settings(
        ConsoleSettings(
            oidc_issuer="https://id.example.org/", oidc_client_id="c", oidc_scopes="profile"
        )
    )
    assert config is not None
    assert (config.issuer, config.scopes) == ("https://id.example.org", "openid profile")


def test_without_oidc_settings_the_sign_in_page_offers_only_passwords(tmp_path: Path) -> None:
    with TestClient(create_app(ConsoleSettings(data_dir=tmp_path))) as client:
        assert "使用统一身份认证登录" not in client.get("/login").text
        assert client.get("/login/oidc").status_code == 404
