"""The service secret and what is derived from it: the identity-hash key and the KEK."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import hashes, hmac
from union_events.sealing import SECRET_BYTES, derive_key, load_secret

SECRET_FILE = Path("keys") / "members.secret"
_IDENTITY_INFO = b"union-members/identity-hash/v1"
_KEK_INFO = b"union-members/key-encryption-key/v1"


@dataclass(frozen=True)
class Secrets:
    """Two independent sub-keys (HKDF-SHA256) of one 32-byte service secret."""

    hmac_key: bytes = field(repr=False)
    kek: bytes = field(repr=False)

    @classmethod
    def derive(cls, secret: bytes) -> Secrets:
        if len(secret) != SECRET_BYTES:
            raise ValueError(f"the members secret must be {SECRET_BYTES} bytes")
        return cls(derive_key(secret, _IDENTITY_INFO), derive_key(secret, _KEK_INFO))

    @classmethod
    def load(cls, data_dir: Path, env_value: str = "") -> Secrets:
        """MEMBERS_SECRET (base64 of 32 bytes) when given, else `<data_dir>/keys/members.secret`,
        created once with 32 random bytes, mode 0600. Losing it loses all personal data."""
        secret = load_secret(Path(data_dir) / SECRET_FILE, env_value, env_name="MEMBERS_SECRET")
        return cls.derive(secret)


def normalize_national_id(national_id: str) -> str:
    """Full-width digits to ASCII (NFKC), no whitespace, the check letter upper-case."""
    return "".join(unicodedata.normalize("NFKC", national_id).split()).upper()


def identity_hash(secrets: Secrets, national_id: str) -> str:
    """HMAC-SHA256 (hex) of the normalized ID: the only form used for uniqueness."""
    mac = hmac.HMAC(secrets.hmac_key, hashes.SHA256())
    mac.update(normalize_national_id(national_id).encode())
    return mac.finalize().hex()
