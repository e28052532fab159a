"""Per-member data keys for household data, stored wrapped under the KEK (AES-256-GCM).

`seal` makes the member's key if missing; `open` gives None once the key is destroyed.
`destroy_in` deletes the key inside a consumer's transaction (with SQLite's secure_delete on);
`clean_files` then checkpoints the WAL (SQLite) or VACUUMs the table (PostgreSQL), as members'
shredding does.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Column, LargeBinary, MetaData, String, Table, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from union_events.db import is_sqlite, write_transaction

from .secret import load_kek

__all__ = ["HouseholdVault", "InvalidSeal", "household_keys", "load_kek", "privacy_metadata"]

log = logging.getLogger(__name__)
NONCE = 12
privacy_metadata = MetaData()
household_keys = Table(
    "household_keys",
    privacy_metadata,
    Column("member_id", String(64), primary_key=True),
    Column("wrapped_key", LargeBinary, nullable=False),  # nonce + AES-GCM(KEK, key, member_id)
)


class InvalidSeal(ValueError):
    """Sealed data that does not authenticate (tampered, another member's, another secret)."""


def _encrypt(aead: AESGCM, plain: bytes, member_id: str) -> bytes:
    nonce = os.urandom(NONCE)
    return nonce + aead.encrypt(nonce, plain, member_id.encode())


def _decrypt(aead: AESGCM, blob: bytes, member_id: str) -> bytes:
    try:
        return aead.decrypt(blob[:NONCE], blob[NONCE:], member_id.encode())
    except InvalidTag:
        raise InvalidSeal(f"sealed data of member {member_id} does not authenticate") from None


class HouseholdVault:
    def __init__(self, engine: AsyncEngine, kek: bytes) -> None:
        self.engine = engine
        self._kek = AESGCM(kek)

    async def create(self) -> None:
        async with self.engine.begin() as conn:
            await conn.run_sync(privacy_metadata.create_all)

    async def seal(self, member_id: str, data: dict[str, Any]) -> str:
        key = await self._key(member_id, create=True)
        assert key is not None
        plain = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        return base64.b64encode(_encrypt(AESGCM(key), plain, member_id)).decode()

    async def open(self, member_id: str, sealed: str) -> dict[str, Any] | None:
        key = await self._key(member_id, create=False)
        if key is None or not sealed:
            return None
        try:
            blob = base64.b64decode(sealed, validate=True)
        except (binascii.Error, ValueError):
            raise InvalidSeal(f"sealed data of member {member_id} is not base64") from None
        opened: dict[str, Any] = json.loads(_decrypt(AESGCM(key), blob, member_id))
        return opened

    async def has_key(self, member_id: str) -> bool:
        return await self._key(member_id, create=False) is not None

    async def destroy_in(self, conn: AsyncConnection, member_id: str) -> None:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            await conn.exec_driver_sql("PRAGMA secure_delete=ON")
        await conn.execute(delete(household_keys).where(household_keys.c.member_id == member_id))

    async def clean_files(self) -> None:
        """After a destroy commits: push zeroed pages out of the WAL, or VACUUM."""
        async with self.engine.connect() as conn:
            if is_sqlite(self.engine):
                await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            else:
                autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
                await autocommit.exec_driver_sql('VACUUM "household_keys"')

    async def _key(self, member_id: str, *, create: bool) -> bytes | None:
        for _attempt in range(3):
            async with self.engine.connect() as conn:
                wrapped = await conn.scalar(
                    select(household_keys.c.wrapped_key).where(
                        household_keys.c.member_id == member_id
                    )
                )
            if wrapped is not None:
                return _decrypt(self._kek, bytes(wrapped), member_id)
            if not create:
                return None
            key = AESGCM.generate_key(256)
            row = {"member_id": member_id, "wrapped_key": _encrypt(self._kek, key, member_id)}
            try:
                async with write_transaction(
                    self.engine, sqlite_pragmas=("secure_delete=ON",)
                ) as conn:
                    await conn.execute(household_keys.insert(), [row])
            except IntegrityError:
                continue  # a concurrent seal made it: read it back
            return key
        raise RuntimeError(f"could not make a key for member {member_id}")
