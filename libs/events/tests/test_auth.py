"""The authorization policy (a table of cases), token verification, key sources and the
HTTP edge: 401 with the contract's body, health and docs open."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import APIRouter
from jwt.algorithms import OKPAlgorithm
from union_events.apps import create_app
from union_events.auth import (
    ACTIONS,
    ROLE_ACTIONS,
    KeySource,
    Principal,
    authorize,
    permitted,
    within,
)
from union_events.errors import DomainError, Forbidden
from union_events.service import ServiceDefinition
from union_events.settings import ServiceSettings
from union_events.testing.tokens import token
from union_events.tokens import InvalidToken, TokenExpired, ensure_keypair, issue_token

CITY = Principal("admin-1", "city_admin", "zhoushan")
OFFICER_A = Principal("officer-a", "district_officer", "zhoushan/dinghai")
CLERK_A = Principal("clerk-a", "clerk", "zhoushan/dinghai")
CLERK_AT_POINT = Principal("clerk-p", "clerk", "zhoushan/dinghai/center")
MEMBER = Principal("m-1", "member", "zhoushan/dinghai/u1")
SERVICE = Principal("portal", "service", "zhoushan")
OTHER_CITY = Principal("admin-2", "city_admin", "ningbo")


@pytest.mark.parametrize(
    ("path", "scope", "covered"),
    [
        ("zhoushan/dinghai/center", "zhoushan", True),
        ("zhoushan/dinghai", "zhoushan/dinghai", True),
        ("zhoushan/putuo", "zhoushan/dinghai", False),
        ("zhoushan/dinghai2/u1", "zhoushan/dinghai", False),
        ("zhoushan", "zhoushan/dinghai", False),
        ("zhoushan/dinghai/", "/zhoushan/dinghai", True),
    ],
)
def test_jurisdiction_is_an_org_path_prefix(path: str, scope: str, covered: bool) -> None:
    assert within(path, scope) is covered


OK, ROLE, OUTSIDE, NOT_OWN = "ok", "forbidden_role", "outside_jurisdiction", "not_own_record"
CASES = [
    # who, action, resource org, extra keyword arguments, expected
    (CITY, "plans.manage", None, {}, OK),
    (CITY, "hospitals.manage", "zhoushan", {}, OK),
    (OTHER_CITY, "hospitals.manage", "zhoushan", {}, OUTSIDE),
    (CITY, "members.register", "zhoushan/putuo/u1", {}, OK),
    (OTHER_CITY, "members.register", "zhoushan/putuo/u1", {}, OUTSIDE),
    (OFFICER_A, "claims.decide", "zhoushan/dinghai", {}, OK),
    (OFFICER_A, "claims.decide", "zhoushan/putuo", {}, OUTSIDE),
    (OFFICER_A, "plans.manage", None, {}, ROLE),
    (OFFICER_A, "hospitals.manage", "zhoushan", {}, ROLE),
    (OFFICER_A, "reports.read", None, {}, OUTSIDE),  # city-wide figures: a city's
    (CLERK_A, "claims.file", "zhoushan/dinghai/center", {}, OK),
    (CLERK_A, "claims.pay", "zhoushan/putuo/center", {}, OUTSIDE),
    (CLERK_A, "claims.pay", "zhoushan/putuo/center", {"cross_district": True}, OK),
    (CLERK_A, "claims.file", "zhoushan/putuo/center", {"cross_district": True}, OK),
    (CLERK_A, "claims.pay", "ningbo/haishu/center", {"cross_district": True}, OUTSIDE),
    (CLERK_A, "relief.read", "zhoushan/putuo", {"cross_district": True}, OUTSIDE),
    (CLERK_A, "claims.decide", "zhoushan/dinghai", {}, ROLE),
    (CLERK_A, "members.erase", "zhoushan/dinghai/u1", {}, ROLE),
    # A clerk at a service point acts for the point's district, in every service (issue 18 #13)
    (CLERK_AT_POINT, "members.register", "zhoushan/dinghai/u1", {}, OK),
    (CLERK_AT_POINT, "members.read", "zhoushan/dinghai/fishery-co", {}, OK),
    (CLERK_AT_POINT, "outreach.serve", "zhoushan/dinghai/ferry-square", {}, OK),
    (CLERK_AT_POINT, "relief.read", "zhoushan/dinghai", {}, OK),
    (CLERK_AT_POINT, "members.read", "zhoushan/putuo/u1", {}, OUTSIDE),
    (CLERK_AT_POINT, "relief.read", "zhoushan/putuo", {"cross_district": True}, OUTSIDE),
    (
        Principal("o", "district_officer", "zhoushan/dinghai/center"),
        "claims.decide",
        "zhoushan/dinghai",
        {},
        OK,
    ),
    (MEMBER, "members.read", "zhoushan/dinghai/u1", {"owner_member_id": "m-1"}, OK),
    (MEMBER, "members.read", "zhoushan/dinghai/u1", {"owner_member_id": "m-2"}, NOT_OWN),
    (MEMBER, "members.read", "zhoushan/dinghai/u1", {}, NOT_OWN),
    (MEMBER, "claims.read", None, {"owner_member_id": "m-1"}, OK),
    (MEMBER, "members.change", "zhoushan/dinghai/u1", {"owner_member_id": "m-1"}, ROLE),
    (SERVICE, "members.read", "zhoushan/putuo/u1", {}, OK),
    (SERVICE, "signups.take", "zhoushan/putuo", {}, OK),
    (SERVICE, "members.register", "zhoushan/putuo/u1", {}, ROLE),
    (SERVICE, "relief.read", "zhoushan/putuo", {}, ROLE),
    (SERVICE, "relief.run", None, {}, OK),
]


@pytest.mark.parametrize(("who", "action", "org", "kwargs", "expected"), CASES)
def test_the_policy_table(
    who: Principal, action: str, org: str | None, kwargs: dict, expected: str
) -> None:
    if expected == OK:
        authorize(who, action, org, **kwargs)
        return
    with pytest.raises(Forbidden) as refused:
        authorize(who, action, org, **kwargs)
    assert refused.value.code == expected


def test_a_city_admin_may_do_every_action_and_every_role_is_in_the_table() -> None:
    assert ROLE_ACTIONS["city_admin"] == ACTIONS
    assert set(ROLE_ACTIONS) == {"city_admin", "district_officer", "clerk", "member", "service"}
    assert ROLE_ACTIONS["clerk"] < ROLE_ACTIONS["district_officer"]


def test_an_unknown_action_is_a_programming_error_and_a_bad_org_a_422() -> None:
    with pytest.raises(ValueError):
        authorize(CITY, "members.delete_everything", "zhoushan")
    with pytest.raises(DomainError) as bad:
        authorize(CITY, "members.register", "Zhou Shan")
    assert (bad.value.status, bad.value.code) == (422, "invalid_org_path")


def test_permitted_checks_the_role_only() -> None:
    permitted(CLERK_A, "relief.file")
    with pytest.raises(Forbidden):
        permitted(CLERK_A, "relief.decide")


@pytest.fixture
def keys(tmp_path: Path) -> KeySource:
    return KeySource.from_pem(ensure_keypair(tmp_path)[1].read_bytes())


async def test_a_valid_token_names_its_principal(keys: KeySource, tmp_path: Path) -> None:
    signed = token(tmp_path, "clerk", "zhoushan/dinghai", subject="clerk-7")
    assert await keys.verify(signed) == Principal("clerk-7", "clerk", "zhoushan/dinghai")


async def test_expired_forged_and_garbage_tokens_are_refused(
    keys: KeySource, tmp_path: Path
) -> None:
    expired = token(tmp_path, ttl_seconds=60, now=int(time.time()) - 3600)
    with pytest.raises(TokenExpired):
        await keys.verify(expired)
    with pytest.raises(InvalidToken):
        await keys.verify(token(tmp_path / "elsewhere"))
    with pytest.raises(InvalidToken):
        await keys.verify("not.a.token")


async def test_a_verified_token_is_remembered_only_until_it_expires(
    keys: KeySource, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checks: list[str] = []
    check = keys._verify

    async def counted(signed: str) -> Principal:
        checks.append(signed)
        return await check(signed)

    monkeypatch.setattr(keys, "_verify", counted)
    signed = token(tmp_path, "clerk", "zhoushan/dinghai", ttl_seconds=60)
    for _ in range(3):
        assert (await keys.verify(signed)).role == "clerk"
    assert len(checks) == 1  # the signature is checked once, not per request
    later = time.time() + 120
    monkeypatch.setattr("union_events.auth.time.time", lambda: later)
    await keys.verify(signed)  # past its expiry: checked again (and refused by a real clock)
    assert len(checks) == 2
    forged = token(tmp_path / "elsewhere")
    for _ in range(2):
        with pytest.raises(InvalidToken):
            await keys.verify(forged)  # a refused token is never remembered
    assert len(checks) == 4


async def test_the_issuer_is_checked_when_configured(tmp_path: Path) -> None:
    settings = ServiceSettings(union_data_dir=tmp_path, jwt_issuer="union-sso")
    keys = await KeySource.from_settings(settings)
    with pytest.raises(InvalidToken):
        await keys.verify(token(tmp_path))  # issuer "unionctl"
    private = ensure_keypair(tmp_path)[0].read_bytes()
    signed = issue_token(private, subject="s", role="clerk", org="zhoushan", issuer="union-sso")
    assert (await keys.verify(signed)).role == "clerk"


async def test_the_embedded_default_creates_the_key_pair_unionctl_signs_with(
    tmp_path: Path,
) -> None:
    keys = await KeySource.from_settings(ServiceSettings(union_data_dir=tmp_path / "data"))
    assert (tmp_path / "data" / "keys" / "jwt_ed25519.pem").exists()
    assert (await keys.verify(token(tmp_path / "data"))).role == "city_admin"


async def test_a_public_key_file_from_configuration(tmp_path: Path) -> None:
    _, public = ensure_keypair(tmp_path / "issuer")
    settings = ServiceSettings(union_data_dir=tmp_path / "data", jwt_public_key_file=public)
    keys = await KeySource.from_settings(settings)
    assert (await keys.verify(token(tmp_path / "issuer"))).org == "zhoushan"
    with pytest.raises(InvalidToken):
        await keys.verify(token(tmp_path / "data"))  # the embedded default's key is not used


class Jwks:
    """A JWKS endpoint on a local http.server; `publish` changes the keys it serves."""

    def __init__(self) -> None:
        self.document: dict = {"keys": []}
        self.fetches = 0
        jwks = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                jwks.fetches += 1
                body = json.dumps(jwks.document).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/jwks.json"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def publish(self, *keys: tuple[str, Ed25519PrivateKey]) -> None:
        self.document = {
            "keys": [
                json.loads(OKPAlgorithm.to_jwk(k.public_key())) | {"kid": kid, "use": "sig"}
                for kid, k in keys
            ]
        }


@pytest.fixture
def jwks() -> Iterator[Jwks]:
    server = Jwks()
    server.thread.start()
    try:
        yield server
    finally:
        server.server.shutdown()
        server.server.server_close()


def _pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


async def test_a_jwks_is_fetched_at_start_and_again_for_an_unknown_key_id(
    jwks: Jwks, tmp_path: Path
) -> None:
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    jwks.publish(("k1", old))
    settings = ServiceSettings(union_data_dir=tmp_path, jwt_jwks_url=jwks.url)
    keys = await KeySource.from_settings(settings)
    keys.refresh_interval_s = 0  # let the test rotate at once
    assert jwks.fetches == 1

    def signed(key: Ed25519PrivateKey, kid: str) -> str:
        return issue_token(_pem(key), subject="s", role="clerk", org="zhoushan", key_id=kid)

    assert (await keys.verify(signed(old, "k1"))).role == "clerk"
    assert jwks.fetches == 1  # a known kid: no fetch
    jwks.publish(("k1", old), ("k2", new))  # the issuer rotates its keys
    assert (await keys.verify(signed(new, "k2"))).subject == "s"
    assert jwks.fetches == 2
    with pytest.raises(InvalidToken):
        await keys.verify(signed(new, "k1"))  # a kid's key is the one that must have signed
    with pytest.raises(InvalidToken):
        await keys.verify(signed(Ed25519PrivateKey.generate(), "k3"))
    assert not (tmp_path / "keys").exists()  # production does not make an embedded key


router = APIRouter()


@router.post("/things")
async def make_thing() -> dict[str, str]:
    return {"made": "yes"}


@pytest.fixture
async def client(tmp_path: Path) -> Iterator[httpx.AsyncClient]:
    app = create_app(ServiceDefinition(name="things", routers=[router]))
    app.state.auth_keys = KeySource.from_pem(ensure_keypair(tmp_path)[1].read_bytes())
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        yield client


@pytest.mark.parametrize(
    ("header", "code"),
    [
        (None, "unauthenticated"),
        ("Basic dXNlcjpwYXNz", "unauthenticated"),
        ("Bearer not-a-jwt", "invalid_token"),
        ("Bearer FORGED", "invalid_token"),
        ("Bearer EXPIRED", "token_expired"),
    ],
)
async def test_a_route_without_a_valid_token_is_a_401_with_the_contract_body(
    client: httpx.AsyncClient, tmp_path: Path, header: str | None, code: str
) -> None:
    if header == "Bearer FORGED":
        header = f"Bearer {token(tmp_path / 'another-key')}"
    if header == "Bearer EXPIRED":
        header = f"Bearer {token(tmp_path, ttl_seconds=60, now=int(time.time()) - 3600)}"
    headers = {"Authorization": header} if header else {}
    response = await client.post("/things", headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


async def test_a_valid_token_passes_and_health_and_docs_need_none(
    client: httpx.AsyncClient, tmp_path: Path
) -> None:
    ok = await client.post("/things", headers={"Authorization": f"Bearer {token(tmp_path)}"})
    assert ok.status_code == 200
    assert (await client.get("/healthz")).status_code == 200
    assert (await client.get("/docs")).status_code == 200
    openapi = await client.get("/openapi.json")
    assert openapi.status_code == 200
    schemes = openapi.json()["components"]["securitySchemes"]
    assert schemes["HTTPBearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "an Ed25519 JWT (`unionctl token`)",
    }
    assert openapi.json()["paths"]["/things"]["post"]["security"] == [{"HTTPBearer": []}]
    assert "security" not in openapi.json()["paths"]["/healthz"]["get"]


def test_the_policy_needs_no_third_party_module_so_a_domain_may_use_it() -> None:
    import subprocess
    import sys

    code = "import sys, union_events.auth; print(' '.join(sys.modules))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert not {"jwt", "cryptography", "fastapi", "sqlalchemy"} & set(run.stdout.split())
