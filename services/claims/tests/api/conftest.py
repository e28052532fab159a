"""A claims service on real NATS and a real database, driven over HTTP in-process."""

from __future__ import annotations

import pytest
from claims.bootstrap import definition
from union_events.settings import ServiceSettings
from union_events.testing.http import service_client


@pytest.fixture
async def api(nats_url, database_url, tmp_path):
    settings = ServiceSettings(
        nats_url=nats_url, database_url=database_url, union_data_dir=tmp_path
    )
    async with service_client(definition(), settings) as client:
        yield client
