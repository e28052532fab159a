"""A key vault on a real database (SQLite file or PostgreSQL) and a person to seal."""

from __future__ import annotations

import os
from typing import Any

import pytest
from members.privacy import KeyVault, PersonalData, Secrets
from sqlalchemy import event
from union_events.db import create_engine

PERSON = PersonalData("王小明", "33090219900517001X", "13800000000", "舟山市定海区解放路1号")


def person(n: int) -> PersonalData:
    return PersonalData(f"骑手{n:05d}", f"3309021990051{n:05d}", f"139{n:08d}", "")


@pytest.fixture
def secrets() -> Secrets:
    return Secrets.derive(os.urandom(32))


async def open_vault(url: str, secrets: Secrets, **engine_options: Any) -> KeyVault:
    """A vault whose SQLite connections start with secure_delete off, as upstream SQLite builds
    do (some distributions turn it on by default, which would hide a missing pragma)."""
    vault = KeyVault(create_engine(url, **engine_options), secrets)
    if vault.engine.dialect.name == "sqlite":
        event.listen(vault.engine.sync_engine, "connect", _secure_delete_off)
    await vault.create()
    return vault


def _secure_delete_off(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.execute("PRAGMA secure_delete=OFF")


@pytest.fixture
async def vault(database_url, secrets):
    vault = await open_vault(database_url, secrets)
    yield vault
    await vault.engine.dispose()
