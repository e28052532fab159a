"""Password hashes (argon2id) and one-time passwords."""

from __future__ import annotations

import secrets
from typing import Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# No 0/O, 1/l/I: a clerk reads a one-time password off a screen and types it.
_ALPHABET: Final = "abcdefghjkmnpqrstuvwxyz23456789"
_HASHER: Final = PasswordHasher()  # argon2id, the library's (RFC 9106 low-memory) parameters

# A hash checked against when the user name is unknown, so that answering takes as long.
_DUMMY_HASH: Final = _HASHER.hash("not-a-password-0")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash or _DUMMY_HASH, password) and bool(stored_hash)
    except (VerificationError, InvalidHashError):
        return False


def one_time_password() -> str:
    """12 characters in three groups (`k7mq-x9tz-ab3p`): letters and digits, both present."""
    while True:
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(12))
        if any(c.isdigit() for c in raw) and any(c.isalpha() for c in raw):
            return "-".join(raw[i : i + 4] for i in range(0, 12, 4))
