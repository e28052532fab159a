"""The console's platform tokens name the staff account; the members client turns the
service's error body into the catalogue's Chinese message (against the real service)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from console.auth.identity import Identity
from console.auth.platform_tokens import PlatformTokens
from console.auth.sessions import Session
from console.clients import MembersClient, ServiceError
from members.bootstrap import definition as members_definition
from union_events.apps import create_app
from union_events.settings import ServiceSettings
from union_events.tokens import ensure_keypair, verify_token

NOW = datetime(2026, 5, 1, tzinfo=UTC)
CLERK = Identity("acc-42", "wang.li", "王丽", "clerk", "zhoushan/dinghai/center")


def _session() -> Session:
    return Session("sid", CLERK, NOW, NOW, NOW)


def test_a_platform_token_names_the_account_its_role_and_org_and_is_kept_until_near_expiry(
    tmp_path: Path,
) -> None:
    private, public = ensure_keypair(tmp_path)
    tokens = PlatformTokens(private.read_bytes(), ttl_seconds=900, issuer="unionctl")
    session = _session()
    first = tokens.for_session(session)
    claims = verify_token(first, public.read_bytes(), issuer="unionctl")
    assert (claims["sub"], claims["role"], claims["org"]) == (
        "acc-42",
        "clerk",
        "zhoushan/dinghai/center",
    )
    assert claims["exp"] - claims["iat"] == 900
    assert tokens.for_session(session) == first  # reused while it has time left
    session.token_expires = 0
    assert tokens.for_session(session) != first  # renewed


async def test_the_members_client_reads_orgs_and_says_a_refusal_in_chinese(
    tmp_path: Path, nats_url: str
) -> None:
    settings = ServiceSettings(nats_url=nats_url, union_data_dir=tmp_path)
    private, _ = ensure_keypair(tmp_path)
    tokens = PlatformTokens(private.read_bytes(), ttl_seconds=600, issuer="unionctl")
    admin = Session(
        "s", Identity("acc-1", "admin", "管理员", "city_admin", "zhoushan"), NOW, NOW, NOW
    )
    app = create_app(members_definition(), settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport) as http:

            async def token() -> str:
                return tokens.for_session(admin)

            members = MembersClient(http, "http://members", token)
            assert await members.org("zhoushan") is None
            with pytest.raises(ServiceError) as refused:
                await members.member("no-such-member")
            assert refused.value.status in (404, 422)
            assert refused.value.message in ("没有找到该会员。", "会员编号格式不正确。")
            offline = MembersClient(http, "http://127.0.0.1:9", token)
            offline.http = httpx.AsyncClient()
            with pytest.raises(ServiceError) as away:
                await offline.orgs()
            await offline.http.aclose()
            assert away.value.code == "service_unavailable"
            assert "暂时无法连接" in away.value.message
