"""Household data is sealed under the member's key; without the key it is gone for good."""

from __future__ import annotations

import base64
import os

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from relief.privacy import HouseholdVault, InvalidSeal, household_keys, load_kek
from union_events.db import write_transaction
from union_events.store import EventStore


@pytest.fixture
async def vault(sqlite_url, tmp_path):
    store = await EventStore.open(sqlite_url)
    vault = HouseholdVault(store.engine, load_kek(tmp_path))
    await vault.create()
    yield vault
    await store.close()


async def test_sealed_household_opens_for_its_member_only(vault):
    sealed = await vault.seal("m1", {"members": [{"name": "李梅"}], "notes": "病"})
    assert "李梅".encode() not in base64.b64decode(sealed)
    assert (await vault.open("m1", sealed))["members"] == [{"name": "李梅"}]
    await vault.seal("m2", {"members": []})
    with pytest.raises(InvalidSeal):
        await vault.open("m2", sealed)


async def test_destroying_the_key_shreds_every_sealed_household_of_the_member(vault):
    sealed = await vault.seal("m1", {"members": [{"name": "李梅"}]})
    async with write_transaction(vault.engine) as conn:
        await vault.destroy_in(conn, "m1")
    await vault.clean_files()
    assert await vault.open("m1", sealed) is None
    assert not await vault.has_key("m1")


def test_the_secret_comes_from_the_environment_or_a_file_made_once(tmp_path):
    made = load_kek(tmp_path)
    assert load_kek(tmp_path) == made
    assert (tmp_path / "keys" / "relief.secret").stat().st_mode & 0o077 == 0
    env = base64.b64encode(b"k" * 32).decode()
    assert load_kek(tmp_path, env) != made
    with pytest.raises(ValueError):
        load_kek(tmp_path, "short")


async def test_a_household_sealed_in_reliefs_format_still_opens(vault, tmp_path):
    """The format of every household already in the log: KEK = HKDF(RELIEF_SECRET, relief's
    info), the key wrapped in `household_keys`, compact JSON sealed with the member id as
    associated data; an empty sealed value opens as nothing."""
    secret, data_key, n1, n2 = os.urandom(32), os.urandom(32), os.urandom(12), os.urandom(12)
    info = b"union-relief/key-encryption-key/v1"
    kek = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret)
    assert load_kek(tmp_path, base64.b64encode(secret).decode()) == kek
    wrapped = n1 + AESGCM(kek).encrypt(n1, data_key, b"m1")
    plain = '{"members":[{"name":"李梅"}]}'.encode()
    sealed = n2 + AESGCM(data_key).encrypt(n2, plain, b"m1")
    async with write_transaction(vault.engine) as conn:
        await conn.execute(household_keys.insert(), [{"member_id": "m1", "wrapped_key": wrapped}])
    old = HouseholdVault(vault.engine, kek)
    assert await old.open("m1", base64.b64encode(sealed).decode()) == {
        "members": [{"name": "李梅"}]
    }
    assert await old.open("m1", "") is None
