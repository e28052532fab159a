"""Ed25519 JWTs: key pair creation, issuing, verification failures."""

from __future__ import annotations

import stat
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from union_events.tokens import (
    ROLES,
    InvalidToken,
    ensure_keypair,
    issue_token,
    read_public_key,
    verify_token,
)


@pytest.fixture
def keys(tmp_path: Path) -> tuple[bytes, bytes]:
    private, public = ensure_keypair(tmp_path)
    return private.read_bytes(), public.read_bytes()


def test_ensure_keypair_creates_files_once(tmp_path: Path) -> None:
    private, public = ensure_keypair(tmp_path)
    assert private == tmp_path / "keys" / "jwt_ed25519.pem"
    assert public == tmp_path / "keys" / "jwt_ed25519.pub.pem"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert private.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert public.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    before = private.read_bytes(), public.read_bytes()
    assert ensure_keypair(tmp_path) == (private, public)
    assert (private.read_bytes(), public.read_bytes()) == before
    assert read_public_key(tmp_path) == before[1]


def test_ensure_keypair_recreates_missing_public_key(tmp_path: Path) -> None:
    _, public = ensure_keypair(tmp_path)
    original = public.read_bytes()
    public.unlink()
    ensure_keypair(tmp_path)
    assert public.read_bytes() == original


def test_concurrent_ensure_keypair_agrees(tmp_path: Path) -> None:
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: ensure_keypair(tmp_path), range(16)))
    private, public = results[0]
    token = issue_token(private.read_bytes(), subject="s", role="service", org="zhoushan")
    assert verify_token(token, public.read_bytes())["role"] == "service"
    assert sorted(p.name for p in (tmp_path / "keys").iterdir()) == [
        "jwt_ed25519.pem",
        "jwt_ed25519.pub.pem",
    ]


@pytest.mark.parametrize("role", ROLES)
def test_issue_and_verify_round_trip(keys: tuple[bytes, bytes], role: str) -> None:
    private, public = keys
    token = issue_token(
        private, subject="clerk-7", role=role, org="zhoushan/dinghai", ttl_seconds=60
    )
    claims = verify_token(token, public, issuer="unionctl")
    assert claims["sub"] == "clerk-7" and claims["role"] == role
    assert claims["org"] == "zhoushan/dinghai" and claims["iss"] == "unionctl"
    assert claims["exp"] - claims["iat"] == 60
    assert jwt.get_unverified_header(token)["alg"] == "EdDSA"


def test_default_ttl_is_eight_hours(keys: tuple[bytes, bytes]) -> None:
    claims = verify_token(issue_token(keys[0], subject="a", role="clerk", org="x"), keys[1])
    assert claims["exp"] - claims["iat"] == 8 * 3600


@pytest.mark.parametrize(
    ("role", "org"),
    [
        ("admin", "zhoushan"),
        ("clerk", "Zhoushan"),
        ("clerk", "/zhoushan"),
        ("clerk", "a//b"),
        ("clerk", "a/b/"),
        ("clerk", ""),
        ("clerk", "a b"),
    ],
)
def test_issue_rejects_bad_role_or_org(keys: tuple[bytes, bytes], role: str, org: str) -> None:
    with pytest.raises(ValueError):
        issue_token(keys[0], subject="s", role=role, org=org)


def test_expired_token_is_invalid(keys: tuple[bytes, bytes]) -> None:
    old = int(time.time()) - 3600
    token = issue_token(keys[0], subject="s", role="clerk", org="x", ttl_seconds=60, now=old)
    with pytest.raises(InvalidToken):
        verify_token(token, keys[1])


def test_token_from_another_key_is_invalid(keys: tuple[bytes, bytes], tmp_path: Path) -> None:
    other_private, _ = ensure_keypair(tmp_path / "other")
    token = issue_token(other_private.read_bytes(), subject="s", role="clerk", org="x")
    with pytest.raises(InvalidToken):
        verify_token(token, keys[1])


def test_tampered_and_garbage_tokens_are_invalid(keys: tuple[bytes, bytes]) -> None:
    token = issue_token(keys[0], subject="s", role="clerk", org="x")
    head, body, sig = token.split(".")
    with pytest.raises(InvalidToken):
        verify_token(f"{head}.{body}x.{sig}", keys[1])
    with pytest.raises(InvalidToken):
        verify_token("not-a-token", keys[1])


def test_wrong_issuer_is_invalid(keys: tuple[bytes, bytes]) -> None:
    token = issue_token(keys[0], subject="s", role="clerk", org="x", issuer="elsewhere")
    with pytest.raises(InvalidToken):
        verify_token(token, keys[1], issuer="unionctl")


def test_hs256_and_unknown_role_tokens_are_rejected(keys: tuple[bytes, bytes]) -> None:
    claims = {"sub": "s", "role": "clerk", "org": "x", "iss": "unionctl"}
    now = int(time.time())
    forged = jwt.encode({**claims, "iat": now, "exp": now + 60}, "s" * 40, algorithm="HS256")
    with pytest.raises(InvalidToken):
        verify_token(forged, keys[1])
    signed_bad_role = jwt.encode(
        {**claims, "role": "root", "iat": now, "exp": now + 60},
        serialization_private(keys[0]),
        algorithm="EdDSA",
    )
    with pytest.raises(InvalidToken, match="role"):
        verify_token(signed_bad_role, keys[1])
    missing_org = jwt.encode(
        {"sub": "s", "role": "clerk", "iss": "u", "iat": now, "exp": now + 60},
        serialization_private(keys[0]),
        algorithm="EdDSA",
    )
    with pytest.raises(InvalidToken):
        verify_token(missing_org, keys[1])


def serialization_private(pem: bytes) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    assert isinstance(key, Ed25519PrivateKey)
    return key
