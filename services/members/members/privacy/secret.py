"""The service secret and what is derived from it: the identity-hash key, the KEK and the key
of the blind indexes (lookups by name and phone)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import hashes, hmac
from union_events.sealing import SECRET_BYTES, derive_key, load_secret

SECRET_FILE = Path("keys") / "members.secret"
_IDENTITY_INFO = b"union-members/identity-hash/v1"
_KEK_INFO = b"union-members/key-encryption-key/v1"
_INDEX_INFO = b"union-members/blind-index/v1"


@dataclass(frozen=True)
class Secrets:
    """Independent sub-keys (HKDF-SHA256) of one 32-byte service secret."""

    hmac_key: bytes = field(repr=False)
    kek: bytes = field(repr=False)
    index_key: bytes = field(repr=False)

    @classmethod
    def derive(cls, secret: bytes) -> Secrets:
        if len(secret) != SECRET_BYTES:
            raise ValueError(f"the members secret must be {SECRET_BYTES} bytes")
        return cls(
            derive_key(secret, _IDENTITY_INFO),
            derive_key(secret, _KEK_INFO),
            derive_key(secret, _INDEX_INFO),
        )

    @classmethod
    def load(cls, data_dir: Path, env_value: str = "") -> Secrets:
        """MEMBERS_SECRET (base64 of 32 bytes) when given, else `<data_dir>/keys/members.secret`,
        created once with 32 random bytes, mode 0600. Losing it loses all personal data."""
        secret = load_secret(Path(data_dir) / SECRET_FILE, env_value, env_name="MEMBERS_SECRET")
        return cls.derive(secret)

    @classmethod
    def load_existing(cls, data_dir: Path, env_value: str = "") -> Secrets:
        """As `load`, but never creates a secret: for tools working on a service's database
        (a rebuild of the lookup index), where a new secret would open nothing."""
        path = Path(data_dir) / SECRET_FILE
        if not env_value.strip() and not path.exists():
            raise RuntimeError(
                f"the members secret is needed: set MEMBERS_SECRET, or UNION_DATA_DIR to the "
                f"service's data dir (no {path})"
            )
        return cls.load(data_dir, env_value)


def normalize_national_id(national_id: str) -> str:
    """Full-width digits to ASCII (NFKC), no whitespace, the check letter upper-case."""
    return "".join(unicodedata.normalize("NFKC", national_id).split()).upper()


def identity_hash(secrets: Secrets, national_id: str) -> str:
    """HMAC-SHA256 (hex) of the normalized ID: the only form used for uniqueness."""
    return _hmac(secrets.hmac_key, normalize_national_id(national_id))


def normalize_name(name: str) -> str:
    """NFKC (full-width letters made plain), no whitespace at all, case-folded: 王 小明 and
    王小明 are one name; Zhang San and ZHANGSAN too."""
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


BLIND_FIELDS = ("name", "phone")


def blind_index(secrets: Secrets, field_name: str, normalized: str) -> str:
    """HMAC-SHA256 (hex) of `<field>:<normalized value>` under the blind-index key: what the
    lookup index keeps instead of the name or the phone (phones normalized by the domain's
    `normalize_phone`, names by `normalize_name`)."""
    if field_name not in BLIND_FIELDS:
        raise ValueError(f"no blind index on {field_name!r}")
    return _hmac(secrets.index_key, f"{field_name}:{normalized}")


def _hmac(key: bytes, text: str) -> str:
    mac = hmac.HMAC(key, hashes.SHA256())
    mac.update(text.encode())
    return mac.finalize().hex()
