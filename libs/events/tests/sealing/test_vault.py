"""Sealing and opening values with per-subject keys, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import base64
import os

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import func, select
from union_events.db import write_transaction
from union_events.sealing import InvalidSeal

from .conftest import ADDRESS, NAME, NATIONAL_ID, PERSON, PHONE, Vault, keys, person, vault_on


async def key_rows(vault: Vault) -> int:
    async with vault.engine.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(keys))).scalar_one())


async def test_a_sealed_value_opens_back_to_the_same_value(vault):
    sealed = await vault.seal("m-1", PERSON)
    assert await vault.open("m-1", sealed) == PERSON


async def test_two_subjects_get_different_keys_and_different_sealed_text(vault):
    one, two = await vault.seal("m-1", PERSON), await vault.seal("m-2", PERSON)
    assert one != two
    key_one, key_two = await vault.data_key("m-1"), await vault.data_key("m-2")
    assert key_one is not None and key_two is not None and key_one != key_two
    assert len(key_one) == 32


async def test_the_sealed_text_never_contains_the_plaintext(vault):
    sealed = await vault.seal("m-1", PERSON)
    for text in (sealed, base64.b64decode(sealed).decode("latin-1")):
        for field in (NAME, NATIONAL_ID, PHONE, ADDRESS):
            assert field not in text
            assert field.encode().decode("latin-1") not in text


async def test_a_value_sealed_for_one_subject_cannot_be_opened_as_another(vault):
    sealed = await vault.seal("m-1", PERSON)
    await vault.seal("m-2", person(2))
    with pytest.raises(InvalidSeal, match="member m-2"):
        await vault.open("m-2", sealed)


async def test_a_tampered_sealed_value_is_refused(vault):
    blob = bytearray(base64.b64decode(await vault.seal("m-1", PERSON)))
    blob[-1] ^= 1
    with pytest.raises(InvalidSeal):
        await vault.open("m-1", base64.b64encode(bytes(blob)).decode())
    with pytest.raises(InvalidSeal, match="not base64"):
        await vault.open("m-1", "not base64!")


async def test_after_destroy_the_value_cannot_be_opened_and_destroying_again_is_harmless(vault):
    sealed = await vault.seal("m-1", PERSON)
    kept = await vault.seal("m-2", person(2))
    assert await vault.destroy("m-1") is True
    assert await vault.open("m-1", sealed) is None
    assert await vault.data_key("m-1") is None and not await vault.has_key("m-1")
    assert await vault.destroy("m-1") is False
    assert await vault.open("m-2", kept) == person(2) and await vault.has_key("m-2")


async def test_a_key_destroyed_inside_the_callers_transaction_is_gone_once_it_commits(vault):
    sealed = await vault.seal("m-1", PERSON)
    async with write_transaction(vault.engine) as conn:
        assert await vault.destroy_in(conn, "m-1") is True
    await vault.clean_files()
    assert await vault.open("m-1", sealed) is None and not await vault.has_key("m-1")


async def test_a_destroy_in_a_transaction_that_rolls_back_keeps_the_key(vault):
    sealed = await vault.seal("m-1", PERSON)
    with pytest.raises(RuntimeError):
        async with write_transaction(vault.engine) as conn:
            await vault.destroy_in(conn, "m-1")
            raise RuntimeError("the consumer failed")
    assert await vault.open("m-1", sealed) == PERSON


async def test_sealing_again_reuses_the_subjects_key(vault):
    first = await vault.seal("m-1", PERSON)
    key = await vault.data_key("m-1")
    second = await vault.seal("m-1", person(1))
    assert await vault.data_key("m-1") == key and await key_rows(vault) == 1
    assert await vault.open("m-1", first) == PERSON
    assert await vault.open("m-1", second) == person(1)


async def test_concurrent_first_seals_of_one_subject_agree_on_one_key(vault):
    sealed = await asyncio.gather(*(vault.seal("m-1", person(i)) for i in range(6)))
    assert await key_rows(vault) == 1
    assert [await vault.open("m-1", s) for s in sealed] == [person(i) for i in range(6)]


async def test_seal_many_gives_each_subject_a_key_and_open_many_reports_erased_ones_as_none(vault):
    items = [(f"m-{i}", person(i)) for i in range(300)]
    sealed = await vault.seal_many(items)
    assert await key_rows(vault) == 300
    await vault.destroy("m-7")
    opened = await vault.open_many([(m, s) for (m, _), s in zip(items, sealed, strict=True)])
    assert opened == {m: (None if m == "m-7" else data) for m, data in items}


async def test_a_vault_under_another_kek_refuses_to_unwrap_the_keys(vault):
    sealed = await vault.seal("m-1", PERSON)
    stranger = vault_on(vault.engine, os.urandom(32))
    with pytest.raises(InvalidSeal):
        await stranger.open("m-1", sealed)


async def test_sealing_and_opening_nothing_touches_nothing(vault):
    assert await vault.seal_many([]) == [] and await vault.open_many([]) == {}
    assert await key_rows(vault) == 0


async def test_the_formats_are_nonce_then_aes_gcm_with_the_subject_id_as_associated_data(
    vault, kek
):
    """Values sealed by earlier versions must open: the formats are written here by hand."""
    data_key, nonce_k, nonce_v = os.urandom(32), os.urandom(12), os.urandom(12)
    wrapped = nonce_k + AESGCM(kek).encrypt(nonce_k, data_key, b"m-1")
    sealed = nonce_v + AESGCM(data_key).encrypt(nonce_v, PERSON.encode(), b"m-1")
    async with write_transaction(vault.engine) as conn:
        await conn.execute(keys.insert(), [{"member_id": "m-1", "wrapped_key": wrapped}])
    assert await vault.open("m-1", base64.b64encode(sealed).decode()) == PERSON

    mine = base64.b64decode(await vault.seal("m-1", person(1)))
    plain = AESGCM(data_key).decrypt(mine[:12], mine[12:], b"m-1")
    assert plain == person(1).encode()
