"""Per-member data keys in `member_keys` sealing personal data (union_events.sealing)."""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import AsyncEngine
from union_events.sealing import InvalidSeal, SealingVault, key_table

from .personal import PersonalData
from .secret import Secrets

__all__ = ["InvalidSeal", "KeyVault", "member_keys", "privacy_metadata"]

privacy_metadata = MetaData()
member_keys = key_table("member_keys", privacy_metadata, created_at=True)


class KeyVault(SealingVault[PersonalData]):
    """Seals personal data (as JSON) with a per-member AES-256-GCM key; `destroy` shreds it."""

    def __init__(self, engine: AsyncEngine, secrets: Secrets) -> None:
        super().__init__(engine, secrets.kek, member_keys, _to_json, PersonalData.from_json)


def _to_json(data: PersonalData) -> bytes:
    return data.to_json()
