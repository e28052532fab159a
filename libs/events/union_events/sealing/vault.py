"""Per-subject data keys, stored wrapped under the KEK in one table of the service's database
(the formats are in `formats.py`)."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterable, Sequence
from typing import Generic, TypeVar

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import ARRAY, String, Table, any_, bindparam, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ..db import create_tables
from .formats import InvalidSeal, decrypt, encrypt
from .shred import clean_files, secure_write, shred

T = TypeVar("T")


class SealingVault(Generic[T]):
    """Seals values with a per-subject AES-256-GCM key; `destroy` shreds the key.

    `keys` is the service's key table (see `key_table`); `encode` and `decode` turn a value
    into the bytes that are sealed and back."""

    def __init__(
        self,
        engine: AsyncEngine,
        kek: bytes,
        keys: Table,
        encode: Callable[[T], bytes],
        decode: Callable[[bytes], T],
    ) -> None:
        self.engine = engine
        self.keys = keys
        self._kek = AESGCM(kek)
        self._subject = next(iter(keys.primary_key.columns))
        self._noun = self._subject.name.removesuffix("_id")
        self._encode, self._decode = encode, decode

    async def create(self) -> None:
        await create_tables(self.engine, self.keys.metadata, [self.keys])

    async def seal(self, subject_id: str, value: T) -> str:
        """base64(nonce + AES-GCM(subject key, bytes, subject_id)); makes the key if missing."""
        return (await self.seal_many([(subject_id, value)]))[0]

    async def seal_many(self, items: Sequence[tuple[str, T]]) -> list[str]:
        """Seal many at once: missing keys are inserted in one transaction, one statement."""
        keys = await self._keys_for(list(dict.fromkeys(subject_id for subject_id, _ in items)))
        return [
            base64.b64encode(encrypt(keys[s], self._encode(value), s)).decode()
            for s, value in items
        ]

    async def open(self, subject_id: str, sealed: str) -> T | None:
        """The value, or None when the subject's key is gone (erased)."""
        return (await self.open_many([(subject_id, sealed)]))[subject_id]

    async def open_many(self, pairs: Iterable[tuple[str, str]]) -> dict[str, T | None]:
        pairs = list(pairs)
        async with self.engine.connect() as conn:
            wrapped = await self._load(conn, list({subject_id for subject_id, _ in pairs}))
        opened: dict[str, T | None] = {}
        for subject_id, sealed in pairs:
            if subject_id not in wrapped:
                opened[subject_id] = None
                continue
            try:
                blob = base64.b64decode(sealed, validate=True)
            except (binascii.Error, ValueError):
                raise InvalidSeal(
                    f"sealed data of {self._noun} {subject_id} is not base64"
                ) from None
            key = decrypt(self._kek, wrapped[subject_id], subject_id, self._noun)
            opened[subject_id] = self._decode(decrypt(key, blob, subject_id, self._noun))
        return opened

    async def data_key(self, subject_id: str) -> bytes | None:
        """The subject's raw key, None once destroyed: for audits and the shredding tests."""
        async with self.engine.connect() as conn:
            wrapped = await self._load(conn, [subject_id])
        return decrypt(self._kek, wrapped[subject_id], subject_id, self._noun) if wrapped else None

    async def has_key(self, subject_id: str) -> bool:
        async with self.engine.connect() as conn:
            return bool(await self._load(conn, [subject_id]))

    async def destroy(self, subject_id: str) -> bool:
        """Crypto-shredding: delete the subject's key for good (see `shred`). True if a key was
        there; calling it again is harmless and re-runs the clean-up of the files."""
        statement = delete(self.keys).where(self._subject == subject_id)
        return await shred(self.engine, statement, self.keys.name) > 0

    async def destroy_in(self, conn: AsyncConnection, subject_id: str) -> bool:
        """Delete the key inside the caller's transaction (a consumer's, with its inbox row).
        On SQLite secure_delete is turned on for that connection and left on; the files are
        cleaned by a later `clean_files` or `destroy`."""
        if conn.dialect.name == "sqlite":
            await conn.exec_driver_sql("PRAGMA secure_delete=ON")
        result = await conn.execute(delete(self.keys).where(self._subject == subject_id))
        return int(result.rowcount) > 0

    async def clean_files(self) -> None:
        """After a `destroy_in` commits: push zeroed pages out of the WAL, or VACUUM."""
        await clean_files(self.engine, self.keys.name)

    async def _keys_for(self, subject_ids: list[str]) -> dict[str, bytes]:
        """Each subject's key, creating the missing ones; a concurrent creator wins and its key
        is read back on the retry."""
        for attempt in range(3):
            async with self.engine.connect() as conn:
                wrapped = await self._load(conn, subject_ids)
            keys = {s: decrypt(self._kek, w, s, self._noun) for s, w in wrapped.items()}
            fresh = {s: AESGCM.generate_key(256) for s in subject_ids if s not in keys}
            if not fresh:
                return keys
            rows = [
                {self._subject.name: s, "wrapped_key": encrypt(self._kek, k, s)}
                for s, k in fresh.items()
            ]
            try:
                async with secure_write(self.engine) as conn:
                    await conn.execute(self.keys.insert(), rows)
            except IntegrityError:
                if attempt == 2:
                    raise
                continue
            return keys | fresh
        raise AssertionError("unreachable")

    async def _load(self, conn: AsyncConnection, subject_ids: list[str]) -> dict[str, bytes]:
        """subject id → wrapped key, for those that have one."""
        columns = select(self._subject, self.keys.c.wrapped_key)
        if conn.dialect.name == "postgresql":  # one array parameter: one prepared statement
            ids = bindparam("ids", type_=ARRAY(String))
            result = await conn.execute(
                columns.where(self._subject == any_(ids)), {"ids": subject_ids}
            )
            return {s: bytes(w) for s, w in result}
        found: dict[str, bytes] = {}
        query = columns.where(self._subject.in_(bindparam("ids", expanding=True)))
        for start in range(0, len(subject_ids), 500):
            result = await conn.execute(query, {"ids": subject_ids[start : start + 500]})
            found.update((s, bytes(w)) for s, w in result)
        return found
