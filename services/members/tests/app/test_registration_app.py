"""Registration and QR sign-ups at the app layer, on a real store: what a concurrent change or a
taken card number does to one command (`union_events.commands.run` decides it again)."""

from __future__ import annotations

import os
from datetime import date

import pytest
from members.app import aggregates as agg
from members.app import handlers
from members.app.handlers import Members, register_member, register_org
from members.app.signups import open_campaign, sign_up
from members.domain.national_id import make_national_id
from members.privacy import KeyVault, PersonalData, Secrets
from union_events.events import EventContext
from union_events.store import EventStore

TODAY = date(2026, 11, 23)
UNIT = "zhoushan/dinghai/u1"
CTX = EventContext()


def person(n: int) -> PersonalData:
    return PersonalData(f"骑手{n}", make_national_id("330902", date(1995, 1, 1), n), f"139{n:08d}")


@pytest.fixture
async def members(sqlite_url):
    store = await EventStore.open(sqlite_url)
    await store.create_schema()
    secrets = Secrets.derive(os.urandom(32))
    vault = KeyVault(store.engine, secrets)
    await vault.create()
    yield Members(store, vault, secrets)
    await store.close()


@pytest.fixture
async def city(members):
    for path, level in (("zhoushan", "city"), ("zhoushan/dinghai", "district"), (UNIT, "unit")):
        await register_org(members, path, path, level, CTX)
    await open_campaign(members, "riders", "zhoushan/dinghai", "骑手入会", 1, 1, 1, TODAY, CTX)
    return members


async def test_a_card_number_already_issued_is_not_issued_again(city, monkeypatch):
    _, first_card = await register_member(city, person(1), UNIT, TODAY, CTX)
    drawn = iter([first_card, "6200000000000001"])
    monkeypatch.setattr(handlers, "new_card_no", lambda: next(drawn))
    member_id, card_no = await register_member(city, person(2), UNIT, TODAY, CTX)
    assert card_no == "6200000000000001"
    issued = await city.store.read_stream(agg.card_stream(first_card))
    assert len(issued) == 1 and issued[0].data["member_id"] != member_id


async def test_a_batch_clashing_with_a_registration_is_sorted_again_sealing_nobody_twice(
    city, monkeypatch
):
    vault, sealing = city.vault, []  # how many people each call seals
    seal_many = vault.seal_many

    async def seal_while_person_3_registers(items):
        sealing.append(len(items))
        if len(sealing) == 1:  # the batch's first decision: person 3 registers meanwhile
            await register_member(city, person(3), UNIT, TODAY, CTX)
        return await seal_many(items)

    monkeypatch.setattr(vault, "seal_many", seal_while_person_3_registers)
    batch = [(person(n), UNIT) for n in range(1, 6)]
    result = await sign_up(city, "riders", batch, TODAY, CTX)
    assert sorted(i for i, _, _ in result.accepted) == [0, 1, 3, 4]
    assert result.duplicates == [2]
    assert sealing == [5, 1, 0]  # the batch, person 3 alone, the batch again: no one twice
    assert len({card for _, _, card in result.accepted}) == 4
