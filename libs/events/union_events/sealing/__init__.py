"""Sealed personal data: per-subject AES-256-GCM data keys wrapped under a key-encryption key
(HKDF of the service secret), kept in one table of the service's database, and crypto-shredded
on erasure. Each service names its table, its secret and its HKDF info; the formats are one."""

from .formats import InvalidSeal, key_table
from .secret import SECRET_BYTES, derive_key, load_secret
from .shred import clean_files, secure_write, shred
from .vault import SealingVault

__all__ = [
    "SECRET_BYTES",
    "InvalidSeal",
    "SealingVault",
    "clean_files",
    "derive_key",
    "key_table",
    "load_secret",
    "secure_write",
    "shred",
]
