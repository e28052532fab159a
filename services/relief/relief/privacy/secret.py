"""The relief secret and the key-encryption key (KEK) derived from it (HKDF-SHA256).

RELIEF_SECRET (base64 of 32 bytes) when given, else `<data dir>/keys/relief.secret`, made once
with 32 random bytes, mode 0600. Losing it loses every sealed household.
"""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path
from secrets import token_bytes

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

SECRET_BYTES = 32
SECRET_FILE = Path("keys") / "relief.secret"
_KEK_INFO = b"union-relief/key-encryption-key/v1"


def load_kek(data_dir: Path, env_value: str = "") -> bytes:
    if env_value.strip():
        secret = _b64(env_value)
    else:
        secret = _load_or_create(Path(data_dir) / SECRET_FILE)
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEK_INFO).derive(secret)


def _b64(value: str) -> bytes:
    try:
        raw = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != SECRET_BYTES:
        raise ValueError(f"RELIEF_SECRET must be base64 of {SECRET_BYTES} bytes")
    return raw


def _load_or_create(path: Path) -> bytes:
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it just now
        else:
            try:
                os.write(fd, token_bytes(SECRET_BYTES))
                os.fsync(fd)
            finally:
                os.close(fd)
    raw = path.read_bytes()
    if len(raw) != SECRET_BYTES:
        raise ValueError(f"{path} must hold {SECRET_BYTES} bytes")
    return raw
