"""The embedded NATS server, the PostgreSQL provider and the test fixtures."""

from __future__ import annotations

import socket
from pathlib import Path

import nats
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from union_events.embedded import (
    NatsServer,
    NatsServerError,
    acreate_database,
    adrop_database,
    database_url,
    free_port,
)
from union_events.embedded._proc import pid_alive, port_accepts
from union_events.embedded.databases import plain_url


def _async_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+asyncpg://", 1)


async def _stream_messages(url: str, stream: str) -> int:
    nc = await nats.connect(url)
    try:
        info = await nc.jetstream().stream_info(stream)
        return int(info.state.messages)
    finally:
        await nc.close()


async def test_kill_and_restart_keeps_jetstream_messages(tmp_path: Path) -> None:
    server = NatsServer(store_dir=tmp_path / "nats").start()
    try:
        port, first_pid = server.port, server.pid
        assert first_pid is not None
        nc = await nats.connect(server.url)
        js = nc.jetstream()
        await js.add_stream(name="CHAOS", subjects=["chaos.>"])
        for i in range(3):
            await js.publish("chaos.x", f"m{i}".encode(), headers={"Nats-Msg-Id": f"id-{i}"})
        await nc.close()

        server.kill()
        assert not server.running and not pid_alive(first_pid)
        assert not port_accepts("127.0.0.1", port)

        server.restart()
        assert server.port == port and server.pid != first_pid
        assert await _stream_messages(server.url, "CHAOS") == 3

        nc = await nats.connect(server.url)
        ack = await nc.jetstream().publish("chaos.x", b"again", headers={"Nats-Msg-Id": "id-0"})
        assert ack.duplicate
        await nc.close()
    finally:
        server.stop()


def test_stop_and_context_manager_leave_no_process(tmp_path: Path) -> None:
    with NatsServer(store_dir=tmp_path / "a") as server:
        pid = server.pid
        assert pid is not None and pid_alive(pid)
        assert server.url == f"nats://127.0.0.1:{server.port}"
        assert server.port != 4222
    assert not pid_alive(pid)
    assert not port_accepts("127.0.0.1", server.port)


def test_start_failure_reports_server_output(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        server = NatsServer(store_dir=tmp_path / "b", port=busy.getsockname()[1])
        with pytest.raises(NatsServerError, match="address already in use"):
            server.start()
        assert not server.running


def test_free_port_is_bindable() -> None:
    port = free_port()
    assert port not in (4222, 4322, 8101, 8102, 8103, 8104)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))


def test_free_ports_are_never_handed_out_twice_nor_shared_between_test_workers(monkeypatch) -> None:
    # Two servers of one test given one port made an HTTP probe read NATS's INFO line.
    ports = [free_port() for _ in range(300)]
    assert len(set(ports)) == len(ports)
    assert all(p < 32768 for p in ports)  # below the kernel's ephemeral range
    bands = []
    for worker in ("gw0", "gw1", "gw2"):
        monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
        bands.append({free_port() for _ in range(50)})
    assert not (bands[0] & bands[1] or bands[1] & bands[2] or bands[0] & bands[2])


async def test_session_nats_fixture_has_jetstream(nats_url: str, nats_server: NatsServer) -> None:
    assert nats_url == nats_server.url and nats_server.port != 4222
    nc = await nats.connect(nats_url)
    info = await nc.jetstream().account_info()
    assert info.limits is not None
    await nc.close()


async def test_session_nats_server_survives_kill_and_restart(nats_server: NatsServer) -> None:
    url = nats_server.url
    nats_server.kill()
    assert not port_accepts(nats_server.host, nats_server.port)
    nats_server.restart()
    assert nats_server.url == url
    nc = await nats.connect(url)
    assert (await nc.jetstream().account_info()).limits is not None
    await nc.close()


async def test_postgres_url_is_a_working_database(postgres_url: str) -> None:
    engine = create_async_engine(_async_url(postgres_url))
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (id int primary key, v text)"))
            await conn.execute(text("INSERT INTO t VALUES (1, 'x')"))
            assert (await conn.execute(text("SELECT v FROM t"))).scalar_one() == "x"
            name = (await conn.execute(text("SELECT current_database()"))).scalar_one()
        assert postgres_url.split("?")[0].endswith(f"/{name}")
    finally:
        await engine.dispose()


async def test_create_database_isolation(postgres_admin_url: str) -> None:
    url_a = await acreate_database(postgres_admin_url, "iso_a")
    url_b = await acreate_database(postgres_admin_url, "iso_b")
    engine_a = create_async_engine(_async_url(url_a))
    engine_b = create_async_engine(_async_url(url_b))
    try:
        async with engine_a.begin() as conn:
            await conn.execute(text("CREATE TABLE only_in_a (id int)"))
        async with engine_b.connect() as conn:
            found = await conn.execute(text("SELECT to_regclass('only_in_a')"))
            assert found.scalar_one() is None
    finally:
        await engine_a.dispose()
        await engine_b.dispose()
        await adrop_database(postgres_admin_url, "iso_a")
        await adrop_database(postgres_admin_url, "iso_b")
    admin = create_async_engine(_async_url(postgres_admin_url))
    async with admin.connect() as conn:
        rows = await conn.execute(
            text("SELECT datname FROM pg_database WHERE datname LIKE 'iso_%'")
        )
        assert rows.all() == []
    await admin.dispose()


async def test_database_url_fixture_works_for_both_backends(database_url: str) -> None:
    url = _async_url(database_url)
    assert url.startswith(("sqlite+aiosqlite:///", "postgresql+asyncpg://"))
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE e (n int)"))
            await conn.execute(text("INSERT INTO e VALUES (42)"))
            assert (await conn.execute(text("SELECT n FROM e"))).scalar_one() == 42
    finally:
        await engine.dispose()


def test_url_helpers_keep_socket_form() -> None:
    admin = "postgresql+asyncpg://postgres@/postgres?host=/tmp/pg/pgdata"
    assert plain_url(admin) == "postgresql://postgres@/postgres?host=/tmp/pg/pgdata"
    assert database_url(admin, "abc") == "postgresql://postgres@/abc?host=/tmp/pg/pgdata"
    tcp = "postgresql://u:p@127.0.0.1:5433/admin"
    assert database_url(tcp, "x_1") == "postgresql://u:p@127.0.0.1:5433/x_1"
    with pytest.raises(ValueError):
        database_url(tcp, 'bad"; DROP')
    with pytest.raises(ValueError):
        plain_url("mysql://u@h/db")


def test_sqlite_url_fixture(sqlite_url: str, tmp_path: Path) -> None:
    assert sqlite_url == f"sqlite+aiosqlite:///{tmp_path}/events.db"
