"""Personal-data protection: sealing with per-member keys, identity hashes, crypto-shredding."""

from .personal import PersonalData
from .secret import (
    BLIND_FIELDS,
    Secrets,
    blind_index,
    identity_hash,
    normalize_name,
    normalize_national_id,
)
from .vault import InvalidSeal, KeyVault, member_keys, privacy_metadata

__all__ = [
    "BLIND_FIELDS",
    "InvalidSeal",
    "KeyVault",
    "PersonalData",
    "Secrets",
    "blind_index",
    "identity_hash",
    "member_keys",
    "normalize_name",
    "normalize_national_id",
    "privacy_metadata",
]
