"""The relief secret and the key-encryption key (KEK) derived from it (HKDF-SHA256).

RELIEF_SECRET (base64 of 32 bytes) when given, else `<data dir>/keys/relief.secret`, made once
with 32 random bytes, mode 0600. Losing it loses every sealed household.
"""

from __future__ import annotations

from pathlib import Path

from union_events.sealing import derive_key, load_secret

SECRET_FILE = Path("keys") / "relief.secret"
_KEK_INFO = b"union-relief/key-encryption-key/v1"


def load_kek(data_dir: Path, env_value: str = "") -> bytes:
    secret = load_secret(Path(data_dir) / SECRET_FILE, env_value, env_name="RELIEF_SECRET")
    return derive_key(secret, _KEK_INFO)
