"""The service secret and what is derived from it: the identity-hash key and the KEK."""

from __future__ import annotations

import base64
import binascii
import logging
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from secrets import token_bytes, token_hex

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

log = logging.getLogger(__name__)

SECRET_BYTES = 32
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
        return cls(_hkdf(secret, _IDENTITY_INFO), _hkdf(secret, _KEK_INFO))

    @classmethod
    def load(cls, data_dir: Path, env_value: str = "") -> Secrets:
        """MEMBERS_SECRET (base64 of 32 bytes) when given, else `<data_dir>/keys/members.secret`,
        created once with 32 random bytes, mode 0600. Losing it loses all personal data."""
        if env_value.strip():
            return cls.derive(_b64(env_value, "MEMBERS_SECRET"))
        return cls.derive(_load_or_create(Path(data_dir) / SECRET_FILE))


def _hkdf(secret: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret)


def _b64(value: str, origin: str) -> bytes:
    try:
        raw = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != SECRET_BYTES:
        raise ValueError(f"{origin} must be base64 of {SECRET_BYTES} bytes")
    return raw


def _read(path: Path) -> bytes:
    if path.stat().st_mode & 0o077:
        log.warning("%s is readable by others than its owner; chmod 600 it", path)
    raw = path.read_bytes()
    return raw if len(raw) == SECRET_BYTES else _b64(raw.decode("ascii", "replace"), str(path))


def _load_or_create(path: Path) -> bytes:
    if path.exists():
        return _read(path)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, token_bytes(SECRET_BYTES))
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)  # atomic, and never replaces a secret another process just made
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return _read(path)


def normalize_national_id(national_id: str) -> str:
    """Full-width digits to ASCII (NFKC), no whitespace, the check letter upper-case."""
    return "".join(unicodedata.normalize("NFKC", national_id).split()).upper()


def identity_hash(secrets: Secrets, national_id: str) -> str:
    """HMAC-SHA256 (hex) of the normalized ID: the only form used for uniqueness."""
    mac = hmac.HMAC(secrets.hmac_key, hashes.SHA256())
    mac.update(normalize_national_id(national_id).encode())
    return mac.finalize().hex()
