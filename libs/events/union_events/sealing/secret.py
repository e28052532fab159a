"""A service secret (32 bytes) from the environment or a file made once, and keys derived from it.

Losing the secret loses every sealed value: keep it, and keep it away from database backups.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
from pathlib import Path
from secrets import token_bytes, token_hex

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

log = logging.getLogger(__name__)

SECRET_BYTES = 32


def load_secret(path: Path, env_value: str = "", *, env_name: str) -> bytes:
    """`env_value` (base64 of 32 bytes, read from `env_name`) when given, else the file at
    `path` (32 raw bytes, or base64 of them), created once with 32 random bytes, mode 0600."""
    if env_value.strip():
        return _b64(env_value, env_name)
    return _load_or_create(Path(path))


def derive_key(secret: bytes, info: bytes) -> bytes:
    """A 32-byte sub-key of the secret: HKDF-SHA256, no salt, `info` naming its use."""
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
