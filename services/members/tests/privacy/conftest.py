"""A members key vault on a real database (SQLite file or PostgreSQL) and a person to seal."""

from __future__ import annotations

import os

import pytest
from members.privacy import KeyVault, PersonalData, Secrets
from union_events.db import create_engine

PERSON = PersonalData("王小明", "33090219900517001X", "13800000000", "舟山市定海区解放路1号")


def person(n: int) -> PersonalData:
    return PersonalData(f"骑手{n:05d}", f"3309021990051{n:05d}", f"139{n:08d}", "")


@pytest.fixture
def secrets() -> Secrets:
    return Secrets.derive(os.urandom(32))


@pytest.fixture
async def vault(database_url, secrets):
    vault = KeyVault(create_engine(database_url), secrets)
    await vault.create()
    yield vault
    await vault.engine.dispose()
