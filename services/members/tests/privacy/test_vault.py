"""Sealing and opening personal data with per-member keys, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import base64
import os

import pytest
from members.privacy import InvalidSeal, KeyVault, PersonalData, Secrets, member_keys
from sqlalchemy import func, select

from .conftest import PERSON, person


async def key_rows(vault: KeyVault) -> int:
    async with vault.engine.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(member_keys))).scalar_one())


async def test_sealed_personal_data_opens_back_to_the_same_data(vault):
    sealed = await vault.seal("m-1", PERSON)
    assert await vault.open("m-1", sealed) == PERSON


async def test_two_members_get_different_keys_and_different_sealed_text(vault):
    one, two = await vault.seal("m-1", PERSON), await vault.seal("m-2", PERSON)
    assert one != two
    key_one, key_two = await vault.data_key("m-1"), await vault.data_key("m-2")
    assert key_one is not None and key_two is not None and key_one != key_two
    assert len(key_one) == 32


async def test_the_sealed_text_never_contains_the_plaintext(vault):
    sealed = await vault.seal("m-1", PERSON)
    for text in (sealed, base64.b64decode(sealed).decode("latin-1")):
        for field in (PERSON.name, PERSON.national_id, PERSON.phone, PERSON.address, "name"):
            assert field not in text
            assert field.encode().decode("latin-1") not in text


async def test_a_value_sealed_for_one_member_cannot_be_opened_as_another(vault):
    sealed = await vault.seal("m-1", PERSON)
    await vault.seal("m-2", person(2))
    with pytest.raises(InvalidSeal):
        await vault.open("m-2", sealed)


async def test_a_tampered_sealed_value_is_refused(vault):
    blob = bytearray(base64.b64decode(await vault.seal("m-1", PERSON)))
    blob[-1] ^= 1
    with pytest.raises(InvalidSeal):
        await vault.open("m-1", base64.b64encode(bytes(blob)).decode())
    with pytest.raises(InvalidSeal):
        await vault.open("m-1", "not base64!")


async def test_after_destroy_the_data_cannot_be_opened_and_destroying_again_is_harmless(vault):
    sealed = await vault.seal("m-1", PERSON)
    kept = await vault.seal("m-2", person(2))
    assert await vault.destroy("m-1") is True
    assert await vault.open("m-1", sealed) is None
    assert await vault.data_key("m-1") is None
    assert await vault.destroy("m-1") is False
    assert await vault.open("m-2", kept) == person(2)


async def test_sealing_again_reuses_the_members_key(vault):
    first = await vault.seal("m-1", PERSON)
    key = await vault.data_key("m-1")
    second = await vault.seal("m-1", person(1))
    assert await vault.data_key("m-1") == key and await key_rows(vault) == 1
    assert await vault.open("m-1", first) == PERSON
    assert await vault.open("m-1", second) == person(1)


async def test_concurrent_first_seals_of_one_member_agree_on_one_key(vault):
    sealed = await asyncio.gather(*(vault.seal("m-1", person(i)) for i in range(6)))
    assert await key_rows(vault) == 1
    assert [await vault.open("m-1", s) for s in sealed] == [person(i) for i in range(6)]


async def test_seal_many_gives_each_member_a_key_and_open_many_reports_erased_ones_as_none(vault):
    items = [(f"m-{i}", person(i)) for i in range(300)]
    sealed = await vault.seal_many(items)
    assert await key_rows(vault) == 300
    await vault.destroy("m-7")
    opened = await vault.open_many([(m, s) for (m, _), s in zip(items, sealed, strict=True)])
    assert opened == {m: (None if m == "m-7" else data) for m, data in items}


async def test_a_vault_under_another_secret_refuses_to_unwrap_the_keys(vault):
    sealed = await vault.seal("m-1", PERSON)
    stranger = KeyVault(vault.engine, Secrets.derive(os.urandom(32)))
    with pytest.raises(InvalidSeal):
        await stranger.open("m-1", sealed)


async def test_personal_data_without_an_address_round_trips(vault):
    data = PersonalData("李四", "330902199005170028", "13900000000")
    assert await vault.open("m-1", await vault.seal("m-1", data)) == data


def test_personal_data_never_shows_in_its_repr():
    assert PERSON.name not in repr(PERSON) and PERSON.national_id not in repr(PERSON)
    assert PERSON.phone not in str([PERSON])


async def test_sealing_and_opening_nothing_touches_nothing(vault):
    assert await vault.seal_many([]) == [] and await vault.open_many([]) == {}
    assert await key_rows(vault) == 0
