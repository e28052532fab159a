"""Personal-data protection: sealing with per-member keys, identity hashes, crypto-shredding."""

from .personal import PersonalData
from .secret import Secrets, identity_hash, normalize_national_id
from .vault import InvalidSeal, KeyVault, member_keys, privacy_metadata

__all__ = [
    "InvalidSeal",
    "KeyVault",
    "PersonalData",
    "Secrets",
    "identity_hash",
    "member_keys",
    "normalize_national_id",
    "privacy_metadata",
]
