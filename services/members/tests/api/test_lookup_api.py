"""Finding a member at the desk: by ID number in a POST body, by card, by name or phone within
the caller's jurisdiction (blind indexes); nothing of an erased person is found."""

from __future__ import annotations

from members.bootstrap import definition
from sqlalchemy import text
from union_events.projections import rebuild
from union_events.testing.tokens import bearer
from union_events.testing.waiting import eventually

from .conftest import city, nid, register

DINGHAI_CLERK = ("clerk", "zhoushan/dinghai/center")
PUTUO_CLERK = ("clerk", "zhoushan/putuo/center")


async def find(api, headers=None, **key):
    response = await api.post("/members/lookup", json=key, headers=headers or {})
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_national_id_lookup_finds_the_member_without_the_number_in_the_url(api):
    await city(api)
    member_id = (await register(api, 700)).json()["member_id"]
    found = await find(api, national_id=nid(700).lower())
    assert found["total"] == 1
    [member] = found["members"]
    record = (await api.get(f"/members/{member_id}")).json()
    assert record["national_id"] == nid(700) and member["national_id"] is None  # masked only
    assert member == record | {"national_id": None}  # otherwise as the record read shows it
    assert (await find(api, national_id=nid(701)))["members"] == []
    bad = await api.post("/members/lookup", json={"national_id": "12345"})
    assert (bad.status_code, bad.json()["error"]["code"]) == (422, "invalid_national_id")


async def test_a_lookup_names_exactly_one_key(api):
    for body in ({}, {"name": "王小明", "phone": "13800000000"}):
        response = await api.post("/members/lookup", json=body)
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "invalid_lookup"


async def test_a_card_number_lookup_by_post_and_get(api):
    await city(api)
    created = (await register(api, 702)).json()
    card = created["card_no"]
    spaced = " ".join(card[i : i + 4] for i in range(0, 16, 4))
    found = await find(api, card_no=spaced)
    assert [m["member_id"] for m in found["members"]] == [created["member_id"]]
    assert (await api.get(f"/members/by-card/{card}")).json()["member_id"] == created["member_id"]
    bad = await api.post("/members/lookup", json={"card_no": "12"})
    assert bad.json()["error"]["code"] == "invalid_card_no"


async def test_name_and_phone_lookups_find_members_of_the_callers_jurisdiction_only(api, tmp_path):
    await city(api)
    here = (await register(api, 703, name="陈 静")).json()["member_id"]
    there = (await register(api, 704, unit="zhoushan/putuo/u1", name="陈静")).json()["member_id"]
    dinghai = bearer(tmp_path, *DINGHAI_CLERK)

    async def by_name():
        found = await find(api, name="陈静")  # the city admin: the whole city
        return found if found["total"] == 2 else None

    await eventually(by_name, message="both indexed")
    assert [m["member_id"] for m in (await find(api, dinghai, name=" 陈静 "))["members"]] == [here]
    putuo = await find(api, bearer(tmp_path, *PUTUO_CLERK), phone="+86 138-0000-0000")
    assert [m["member_id"] for m in putuo["members"]] == [there]
    assert putuo["members"][0]["name"] == "陈静"
    assert (await find(api, dinghai, name="李四"))["members"] == []
    bad_phone = await api.post("/members/lookup", json={"phone": "abc"}, headers=dinghai)
    assert bad_phone.json()["error"]["code"] == "invalid_phone"


async def test_another_districts_member_found_by_id_shows_only_the_masked_name_and_number(
    api, tmp_path
):
    # City pooling: a clerk files and pays claims for members insured in other districts, so
    # they find the member id, status and enrolments, and the name and ID number masked (to
    # match the person at the desk and print the receipt), not the phone or the address.
    await city(api)
    member_id = (await register(api, 705, unit="zhoushan/putuo/u1")).json()["member_id"]
    dinghai = bearer(tmp_path, *DINGHAI_CLERK)
    [member] = (await find(api, dinghai, national_id=nid(705)))["members"]
    assert member["member_id"] == member_id and member["district"] == "zhoushan/putuo"
    assert member["personal_data"] == "withheld"
    assert member["name"] == "王**"  # 王小明: the surname only
    assert member["national_id_masked"] == nid(705)[:6] + "********" + nid(705)[-4:]
    assert member["national_id"] is None
    assert (member["phone"], member["address"], member["units"]) == (None, None, [])
    assert (await api.get(f"/members/{member_id}", headers=dinghai)).status_code == 403
    other_city = bearer(tmp_path, "clerk", "ningbo/haishu/center")
    assert (await find(api, other_city, national_id=nid(705)))["members"] == []


async def test_after_erasure_no_lookup_finds_the_person_and_the_index_holds_nothing_of_them(
    api,
):
    await city(api)
    member_id = (await register(api, 706, name="周 海")).json()["member_id"]
    runtime = api._transport.app.state.runtime

    async def indexed() -> int:
        async with runtime.store.engine.connect() as conn:
            query = text("SELECT count(*) FROM member_index WHERE member_id = :m")
            return int(await conn.scalar(query, {"m": member_id}) or 0)

    assert await eventually(indexed) == 2  # name and phone
    assert (await find(api, name="周海"))["total"] == 1
    await api.delete(f"/members/{member_id}/personal-data")
    await eventually(lambda: _is_zero(indexed()), message="index rows dropped")
    assert (await find(api, name="周海"))["members"] == []
    assert (await find(api, national_id=nid(706)))["members"] == []


async def _is_zero(count) -> bool:
    return await count == 0


async def test_the_lookup_index_rebuilt_from_the_log_equals_the_live_one(
    api, tmp_path, monkeypatch
):
    await city(api)
    ids = [(await register(api, 710 + i, name=f"会员{i}")).json()["member_id"] for i in range(4)]
    await api.delete(f"/members/{ids[1]}/personal-data")
    runtime = api._transport.app.state.runtime
    store = runtime.store

    async def rows():
        async with store.engine.connect() as conn:
            query = text("SELECT member_id, field, digest FROM member_index ORDER BY 1, 2")
            return [tuple(r) for r in await conn.execute(query)]

    live = await eventually(lambda: _rows_of(rows(), 6), message="three members indexed")
    assert ids[1] not in {r[0] for r in live}
    [wired] = [p for p in runtime.definition.projections if p.name == "member-index-view"]
    await rebuild(store, wired)
    assert await rows() == live
    # A tool's rebuild (unionctl replay) reads the service's secret from its data dir.
    monkeypatch.setenv("UNION_DATA_DIR", str(tmp_path))
    [standalone] = [p for p in definition().projections if p.name == "member-index-view"]
    await rebuild(store, standalone)
    assert await rows() == live


async def _rows_of(awaitable, count: int):
    found = await awaitable
    return found if len(found) == count else None
