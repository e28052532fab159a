"""A sealing vault on a real database (SQLite file or PostgreSQL) and personal text to seal."""

from __future__ import annotations

import os
from typing import Any

import pytest
from sqlalchemy import MetaData, event
from union_events.db import create_engine
from union_events.sealing import SealingVault, key_table

NAME, NATIONAL_ID, PHONE, ADDRESS = (
    "王小明",
    "33090219900517001X",
    "13800000000",
    "舟山市定海区解放路1号",
)
PERSON = f"{NAME}|{NATIONAL_ID}|{PHONE}|{ADDRESS}"
keys = key_table("subject_keys", MetaData(), created_at=True)

Vault = SealingVault[str]


def person(n: int) -> str:
    return f"骑手{n:05d}|3309021990051{n:05d}|139{n:08d}|"


@pytest.fixture
def kek() -> bytes:
    return os.urandom(32)


def vault_on(engine: Any, kek: bytes) -> Vault:
    return SealingVault(engine, kek, keys, str.encode, bytes.decode)


async def open_vault(url: str, kek: bytes, **engine_options: Any) -> Vault:
    """A vault whose SQLite connections start with secure_delete off, as upstream SQLite builds
    do (some distributions turn it on by default, which would hide a missing pragma)."""
    vault = vault_on(create_engine(url, **engine_options), kek)
    if vault.engine.dialect.name == "sqlite":
        event.listen(vault.engine.sync_engine, "connect", _secure_delete_off)
    await vault.create()
    return vault


def _secure_delete_off(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.execute("PRAGMA secure_delete=OFF")


@pytest.fixture
async def vault(database_url, kek):
    vault = await open_vault(database_url, kek)
    yield vault
    await vault.engine.dispose()
