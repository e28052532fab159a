"""Per-member data keys, stored wrapped under the KEK in the service's own database."""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Iterable, Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import (
    ARRAY,
    Column,
    DateTime,
    LargeBinary,
    MetaData,
    String,
    Table,
    any_,
    bindparam,
    delete,
    func,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from .personal import PersonalData
from .secret import Secrets
from .shred import secure_write, shred

NONCE_BYTES = 12
privacy_metadata = MetaData()
member_keys = Table(
    "member_keys",
    privacy_metadata,
    Column("member_id", String(64), primary_key=True),
    Column("wrapped_key", LargeBinary, nullable=False),  # nonce + AES-GCM(KEK, key, member_id)
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)


class InvalidSeal(ValueError):
    """A sealed value or a wrapped key that does not authenticate: tampered, sealed for another
    member, or a service secret other than the one the keys were made with."""


def _encrypt(key: bytes | AESGCM, plain: bytes, member_id: str) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    aead = key if isinstance(key, AESGCM) else AESGCM(key)
    return nonce + aead.encrypt(nonce, plain, member_id.encode())


def _decrypt(key: bytes | AESGCM, blob: bytes, member_id: str) -> bytes:
    aead = key if isinstance(key, AESGCM) else AESGCM(key)
    try:
        return aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], member_id.encode())
    except InvalidTag:
        raise InvalidSeal(f"sealed data of member {member_id} does not authenticate") from None


class KeyVault:
    """Seals personal data with a per-member AES-256-GCM key; `destroy` shreds the key."""

    def __init__(self, engine: AsyncEngine, secrets: Secrets) -> None:
        self.engine = engine
        self._kek = AESGCM(secrets.kek)

    async def create(self) -> None:
        async with self.engine.begin() as conn:
            await conn.run_sync(privacy_metadata.create_all)

    async def seal(self, member_id: str, data: PersonalData) -> str:
        """base64(nonce + AES-GCM(member key, JSON, member_id)); makes the key if missing."""
        return (await self.seal_many([(member_id, data)]))[0]

    async def seal_many(self, items: Sequence[tuple[str, PersonalData]]) -> list[str]:
        """Seal many at once: missing keys are inserted in one transaction, one statement."""
        keys = await self._keys_for(list(dict.fromkeys(member_id for member_id, _ in items)))
        return [
            base64.b64encode(_encrypt(keys[member_id], data.to_json(), member_id)).decode()
            for member_id, data in items
        ]

    async def open(self, member_id: str, sealed: str) -> PersonalData | None:
        """The data, or None when the member's key is gone (erased)."""
        return (await self.open_many([(member_id, sealed)]))[member_id]

    async def open_many(self, pairs: Iterable[tuple[str, str]]) -> dict[str, PersonalData | None]:
        pairs = list(pairs)
        async with self.engine.connect() as conn:
            wrapped = await _load(conn, list({member_id for member_id, _ in pairs}))
        opened: dict[str, PersonalData | None] = {}
        for member_id, sealed in pairs:
            if member_id not in wrapped:
                opened[member_id] = None
                continue
            try:
                blob = base64.b64decode(sealed, validate=True)
            except (binascii.Error, ValueError):
                raise InvalidSeal(f"sealed data of member {member_id} is not base64") from None
            key = _decrypt(self._kek, wrapped[member_id], member_id)
            opened[member_id] = PersonalData.from_json(_decrypt(key, blob, member_id))
        return opened

    async def data_key(self, member_id: str) -> bytes | None:
        """The member's raw key, None once destroyed: for audits and the shredding tests."""
        async with self.engine.connect() as conn:
            wrapped = await _load(conn, [member_id])
        return _decrypt(self._kek, wrapped[member_id], member_id) if wrapped else None

    async def destroy(self, member_id: str) -> bool:
        """Crypto-shredding: delete the member's key for good (see `shred`). True if a key was
        there; calling it again is harmless and re-runs the clean-up of the files."""
        statement = delete(member_keys).where(member_keys.c.member_id == member_id)
        return await shred(self.engine, statement, member_keys.name) > 0

    async def _keys_for(self, member_ids: list[str]) -> dict[str, bytes]:
        """Each member's key, creating the missing ones; a concurrent creator wins and its key
        is read back on the retry."""
        for attempt in range(3):
            async with self.engine.connect() as conn:
                wrapped = await _load(conn, member_ids)
            keys = {m: _decrypt(self._kek, w, m) for m, w in wrapped.items()}
            fresh = {m: AESGCM.generate_key(256) for m in member_ids if m not in keys}
            if not fresh:
                return keys
            rows = [
                {"member_id": m, "wrapped_key": _encrypt(self._kek, k, m)} for m, k in fresh.items()
            ]
            try:
                async with secure_write(self.engine) as conn:
                    await conn.execute(member_keys.insert(), rows)
            except IntegrityError:
                if attempt == 2:
                    raise
                continue
            return keys | fresh
        raise AssertionError("unreachable")


async def _load(conn: AsyncConnection, member_ids: list[str]) -> dict[str, bytes]:
    """member_id → wrapped key, for those that have one."""
    columns = select(member_keys.c.member_id, member_keys.c.wrapped_key)
    if conn.dialect.name == "postgresql":  # one array parameter: one prepared statement
        ids = bindparam("ids", type_=ARRAY(String))
        result = await conn.execute(
            columns.where(member_keys.c.member_id == any_(ids)), {"ids": member_ids}
        )
        return {m: bytes(w) for m, w in result}
    found: dict[str, bytes] = {}
    query = columns.where(member_keys.c.member_id.in_(bindparam("ids", expanding=True)))
    for start in range(0, len(member_ids), 500):
        result = await conn.execute(query, {"ids": member_ids[start : start + 500]})
        found.update((m, bytes(w)) for m, w in result)
    return found
