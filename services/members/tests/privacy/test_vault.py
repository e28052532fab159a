"""Members' personal data sealed with per-member keys in `member_keys` (the vault itself is
union_events.sealing, tested in libs/events/tests/sealing), on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import os

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from members.privacy import InvalidSeal, KeyVault, PersonalData, Secrets, member_keys
from union_events.db import write_transaction

from .conftest import PERSON, person


async def test_sealed_personal_data_opens_back_to_the_same_data(vault):
    sealed = await vault.seal("m-1", PERSON)
    assert await vault.open("m-1", sealed) == PERSON


async def test_the_sealed_text_never_contains_the_personal_data_or_its_field_names(vault):
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


async def test_after_destroy_the_data_cannot_be_opened_and_destroying_again_is_harmless(vault):
    sealed = await vault.seal("m-1", PERSON)
    kept = await vault.seal("m-2", person(2))
    assert await vault.destroy("m-1") is True
    assert await vault.open("m-1", sealed) is None
    assert await vault.destroy("m-1") is False
    assert await vault.open("m-2", kept) == person(2)


async def test_seal_many_and_open_many_carry_personal_data(vault):
    items = [(f"m-{i}", person(i)) for i in range(30)]
    sealed = await vault.seal_many(items)
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


async def test_personal_data_sealed_in_the_members_format_still_opens(vault):
    """The format of every value already in the log: KEK = HKDF(secret, members' info), the key
    wrapped in `member_keys`, compact JSON sealed with the member id as associated data."""
    secret, data_key, n1, n2 = os.urandom(32), os.urandom(32), os.urandom(12), os.urandom(12)
    info = b"union-members/key-encryption-key/v1"
    kek = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret)
    wrapped = n1 + AESGCM(kek).encrypt(n1, data_key, b"m-1")
    plain = '{"name":"王小明","national_id":"33090219900517001X","phone":"1","address":""}'
    sealed = n2 + AESGCM(data_key).encrypt(n2, plain.encode(), b"m-1")
    async with write_transaction(vault.engine) as conn:
        await conn.execute(member_keys.insert(), [{"member_id": "m-1", "wrapped_key": wrapped}])
    old = KeyVault(vault.engine, Secrets.derive(secret))
    opened = await old.open("m-1", base64.b64encode(sealed).decode())
    assert opened == PersonalData("王小明", "33090219900517001X", "1")
    assert opened.to_json().decode() == plain


def test_personal_data_never_shows_in_its_repr():
    assert PERSON.name not in repr(PERSON) and PERSON.national_id not in repr(PERSON)
    assert PERSON.phone not in str([PERSON])
