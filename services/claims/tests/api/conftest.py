"""A claims service on real NATS and a real database, driven over HTTP in-process."""

from __future__ import annotations

from datetime import date

import nats
import pytest
from claims.bootstrap import definition
from union_events.embedded import NatsServer
from union_events.settings import ServiceSettings
from union_events.testing.http import service_client

from .members_feed import MembersFeed


@pytest.fixture
async def api(nats_url, database_url, tmp_path):
    settings = ServiceSettings(
        nats_url=nats_url, database_url=database_url, union_data_dir=tmp_path
    )
    async with service_client(definition(), settings) as client:
        yield client


@pytest.fixture
def own_nats(tmp_path):
    """A NATS of this test's own: claims' durable consumer of members' events starts afresh."""
    with NatsServer(store_dir=tmp_path / "nats") as server:
        yield server.url


@pytest.fixture
def clock():
    return {"today": date(2026, 4, 28)}


@pytest.fixture
async def desk(own_nats, database_url, tmp_path, clock):
    """Claims (as a city admin of zhoushan) with members' events fed to it over NATS."""
    settings = ServiceSettings(
        nats_url=own_nats, database_url=database_url, union_data_dir=tmp_path / "claims"
    )
    extras = {"today": lambda: clock["today"]}
    async with service_client(definition(), settings, extras) as client:
        nc = await nats.connect(own_nats)
        try:
            yield client, MembersFeed(nc.jetstream(), client)
        finally:
            await nc.close()
