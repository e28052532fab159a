"""Erasure (crypto-shredding): afterwards nothing of the person can be read anywhere."""

from __future__ import annotations

from pathlib import Path

import nats
from sqlalchemy import text
from union_events.testing.jetstream import stream_messages
from union_events.testing.waiting import eventually

from .conftest import city, nid, plan_year, register

NAME = "李海燕"
TABLES = (
    "events",
    "members_view",
    "orgs_view",
    "enrolments_view",
    "member_index",
    "member_keys",
)


async def everything_stored(api) -> bytes:
    """Every row of every table of the service's database, and the database's raw files."""
    runtime = api_runtime(api)
    engine = runtime.store.engine
    chunks: list[bytes] = []
    async with engine.connect() as conn:
        for table in TABLES:
            for row in await conn.execute(text(f"SELECT * FROM {table}")):
                chunks.append(repr(tuple(row)).encode())
    if engine.dialect.name == "sqlite":
        chunks.append(sqlite_files(engine.url.database or ""))
    else:
        chunks.append(await postgres_files(engine))
    return b"".join(chunks)


async def postgres_files(engine) -> bytes:
    """The raw data files of the service's tables and the server's write-ahead log
    (needs a superuser, as the test session's own PostgreSQL is)."""
    chunks: list[bytes] = []
    async with engine.connect() as conn:
        await conn.execute(text("CHECKPOINT"))
        for table in TABLES:
            path = await conn.scalar(text("SELECT pg_relation_filepath(:t)"), {"t": table})
            chunks.append(await conn.scalar(text("SELECT pg_read_binary_file(:p)"), {"p": path}))
        for name in (await conn.execute(text("SELECT name FROM pg_ls_waldir()"))).scalars():
            wal = text("SELECT pg_read_binary_file('pg_wal/' || :n)")
            chunks.append(await conn.scalar(wal, {"n": name}))
    return b"".join(chunks)


def sqlite_files(database: str) -> bytes:
    """The raw bytes of the SQLite database file and its write-ahead log."""
    paths = [Path(database + suffix) for suffix in ("", "-wal")]
    return b"".join(p.read_bytes() for p in paths if p.exists())


def api_runtime(api):
    return api._transport.app.state.runtime  # the ASGI app behind the test client


async def test_after_erasure_no_personal_data_is_in_the_database_or_on_nats(api, nats_url):
    await city(api)
    await plan_year(api, nats_url)
    member_id = (await register(api, 300, name=NAME)).json()["member_id"]
    await api.post(f"/members/{member_id}/enrolments", json={"plan_id": "inpatient", "year": 2026})
    # Before erasure: the person reads back, but the stored bytes never hold the plaintext.
    assert (await api.get(f"/members/{member_id}")).json()["name"] == NAME
    for needle in (NAME.encode(), nid(300).encode()):
        assert needle not in await everything_stored(api)

    erased = await api.delete(f"/members/{member_id}/personal-data")
    assert erased.status_code == 200
    member = erased.json()
    assert member["erased"] is True and member["name"] is None and member["phone"] is None
    assert member["national_id"] is None and member["national_id_masked"] is None
    assert (await api.get(f"/members/{member_id}")).json()["national_id"] is None
    assert member["enrolments"] == [
        {"plan_id": "inpatient", "year": 2026, "insuring_district": "zhoushan/dinghai"}
    ]
    assert (await api.delete(f"/members/{member_id}/personal-data")).status_code == 200

    runtime = api_runtime(api)
    vault = runtime.extras["members"].vault
    for event in await runtime.store.read_stream(f"member-{member_id}"):
        if "sealed" in event.data:  # the log keeps the sealed text; the key is gone
            assert await vault.open(member_id, event.data["sealed"]) is None
    for needle in (NAME.encode(), nid(300).encode()):
        assert needle not in await everything_stored(api)

    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()

        async def published() -> list:
            messages = await stream_messages(js, "MEMBERS")
            return messages if any(b"erased" in body for _, body in messages) else []

        messages = await eventually(published, timeout=15)
        wire = b"".join(body for _, body in messages)
        assert member_id.encode() in wire
        for needle in (NAME.encode(), nid(300).encode(), b"sealed", b"card_no"):
            assert needle not in wire
    finally:
        await nc.close()
