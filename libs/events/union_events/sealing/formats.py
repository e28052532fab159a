"""The key table, and the formats of wrapped keys and sealed values (AES-256-GCM).

Formats, fixed for good (values sealed years ago must still open):
- a wrapped key is `nonce(12) + AES-256-GCM(KEK, data key, subject id)`;
- a sealed value is `base64(nonce(12) + AES-256-GCM(data key, plain bytes, subject id))`,
  the subject id (UTF-8) being the associated data in both.
"""

from __future__ import annotations

import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Column, DateTime, LargeBinary, MetaData, String, Table, func

NONCE_BYTES = 12


def key_table(
    name: str, metadata: MetaData, *, subject: str = "member_id", created_at: bool = False
) -> Table:
    """A key table: subject id → wrapped key (and, if asked, when the key was made)."""
    columns: list[Column[Any]] = [
        Column(subject, String(64), primary_key=True),
        Column("wrapped_key", LargeBinary, nullable=False),  # nonce + AES-GCM(KEK, key, subject)
    ]
    if created_at:
        columns.append(
            Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now())
        )
    return Table(name, metadata, *columns)


class InvalidSeal(ValueError):
    """A sealed value or a wrapped key that does not authenticate: tampered, sealed for another
    subject, or a service secret other than the one the keys were made with."""


def encrypt(key: bytes | AESGCM, plain: bytes, subject_id: str) -> bytes:
    """nonce + AES-256-GCM(key, plain, subject_id)."""
    nonce = os.urandom(NONCE_BYTES)
    aead = key if isinstance(key, AESGCM) else AESGCM(key)
    return nonce + aead.encrypt(nonce, plain, subject_id.encode())


def decrypt(key: bytes | AESGCM, blob: bytes, subject_id: str, noun: str) -> bytes:
    aead = key if isinstance(key, AESGCM) else AESGCM(key)
    try:
        return aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], subject_id.encode())
    except InvalidTag:
        raise InvalidSeal(f"sealed data of {noun} {subject_id} does not authenticate") from None
