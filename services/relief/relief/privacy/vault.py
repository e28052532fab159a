"""Per-member data keys for household data in `household_keys` (union_events.sealing).

`seal` makes the member's key if missing; `open` gives None once the key is destroyed (or for
an empty sealed value). `destroy_in` deletes the key inside a consumer's transaction (with
SQLite's secure_delete on); `clean_files` then checkpoints the WAL (SQLite) or VACUUMs the table
(PostgreSQL), as members' shredding does.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import AsyncEngine
from union_events.sealing import InvalidSeal, SealingVault, key_table

__all__ = ["HouseholdVault", "InvalidSeal", "household_keys", "privacy_metadata"]

privacy_metadata = MetaData()
household_keys = key_table("household_keys", privacy_metadata)


class HouseholdVault(SealingVault[dict[str, Any]]):
    def __init__(self, engine: AsyncEngine, kek: bytes) -> None:
        super().__init__(engine, kek, household_keys, _to_json, _from_json)

    async def open(self, member_id: str, sealed: str) -> dict[str, Any] | None:
        if not sealed:
            return None
        return await super().open(member_id, sealed)


def _to_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def _from_json(raw: bytes) -> dict[str, Any]:
    opened: dict[str, Any] = json.loads(raw)
    return opened
