"""Bearer tokens: Ed25519-signed JWTs (alg EdDSA) naming a role and a jurisdiction.

Claims: `sub`, `role`, `org` (lowercase slash path, e.g. `zhoushan/dinghai`), `iat`, `exp`,
`iss`, `jti`. The embedded default keeps the key pair in `<data dir>/keys/`.
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path
from typing import Any, Final

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .orgs import ORG_PATH, RULE
from .published import vocabularies

ALGORITHM: Final = "EdDSA"
ROLES: Final = vocabularies.ROLES
DEFAULT_TTL_SECONDS: Final = 8 * 3600
DEFAULT_ISSUER: Final = "unionctl"
PRIVATE_KEY_NAME: Final = "jwt_ed25519.pem"
PUBLIC_KEY_NAME: Final = "jwt_ed25519.pub.pem"
REQUIRED_CLAIMS: Final = ("sub", "role", "org", "iat", "exp", "iss")


class InvalidToken(Exception):
    """The token is malformed, badly signed, expired, or names an unknown role or org."""


class TokenExpired(InvalidToken):
    """The token was well signed but its `exp` has passed."""


def validate_role(role: str) -> str:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    return role


def validate_org(org: str) -> str:
    if not ORG_PATH.fullmatch(org):
        raise ValueError(f"invalid org path {org!r}; expected {RULE}")
    return org


def key_paths(data_dir: Path) -> tuple[Path, Path]:
    """(private, public) PEM paths under `data_dir/keys`."""
    keys = Path(data_dir) / "keys"
    return keys / PRIVATE_KEY_NAME, keys / PUBLIC_KEY_NAME


def ensure_keypair(data_dir: Path) -> tuple[Path, Path]:
    """Create the Ed25519 key pair in `data_dir/keys` if missing; safe under concurrent callers."""
    private_path, public_path = key_paths(data_dir)
    private_path.parent.mkdir(parents=True, exist_ok=True)
    if not private_path.exists():
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        _write_new(private_path, pem)
    if not public_path.exists():
        private = serialization.load_pem_private_key(private_path.read_bytes(), password=None)
        pem = private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        tmp = public_path.with_name(f".{public_path.name}.{uuid.uuid4().hex}")
        tmp.write_bytes(pem)
        tmp.chmod(0o644)
        os.replace(tmp, public_path)
    return private_path, public_path


def _write_new(path: Path, data: bytes) -> None:
    """Write `data` (mode 0600) to `path` atomically unless another writer got there first."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)


def issue_token(
    private_key_pem: bytes,
    *,
    subject: str,
    role: str,
    org: str,
    ttl_seconds: int = DEFAULT_TTL_SECONDS,
    issuer: str = DEFAULT_ISSUER,
    now: int | None = None,
    key_id: str | None = None,
) -> str:
    """A signed JWT for `subject` acting as `role` within the org path `org`."""
    validate_role(role)
    validate_org(org)
    if not subject:
        raise ValueError("subject must not be empty")
    if ttl_seconds <= 0:
        raise ValueError("ttl_seconds must be positive")
    issued_at = int(time.time()) if now is None else now
    claims: dict[str, Any] = {
        "sub": subject,
        "role": role,
        "org": org,
        "iat": issued_at,
        "exp": issued_at + ttl_seconds,
        "iss": issuer,
        "jti": uuid.uuid4().hex,
    }
    headers = {"kid": key_id} if key_id else None
    return jwt.encode(claims, private_key_pem, algorithm=ALGORITHM, headers=headers)


def verify_token(
    token: str,
    public_key_pem: bytes | Ed25519PublicKey,
    *,
    issuer: str | None = None,
    leeway_seconds: int = 30,
) -> dict[str, Any]:
    """The token's claims when signature, expiry, role and org are valid; else `InvalidToken`
    (`TokenExpired` when only the expiry fails). The key is a PEM or a loaded public key."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            public_key_pem,
            algorithms=[ALGORITHM],
            issuer=issuer,
            leeway=leeway_seconds,
            options={"require": list(REQUIRED_CLAIMS)},
        )
        validate_role(str(claims["role"]))
        validate_org(str(claims["org"]))
    except jwt.ExpiredSignatureError as exc:
        raise TokenExpired(str(exc)) from exc
    except (jwt.PyJWTError, ValueError, TypeError) as exc:
        raise InvalidToken(str(exc)) from exc
    return claims


def read_public_key(data_dir: Path) -> bytes:
    """The public key PEM of the embedded default (creating the pair if missing)."""
    return ensure_keypair(data_dir)[1].read_bytes()
