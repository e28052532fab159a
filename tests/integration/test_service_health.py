"""Each service starts on real NATS and its own SQLite file and reports itself alive and ready."""

import asyncio
import importlib
import time

import pytest
from union_events.settings import ServiceSettings
from union_events.testing.http import service_client


@pytest.mark.parametrize("service", ["members", "claims", "relief", "outreach"])
async def test_a_service_is_alive_and_ready_with_nats_and_its_database(service, nats_url, tmp_path):
    definition = importlib.import_module(f"{service}.bootstrap").definition()
    settings = ServiceSettings(nats_url=nats_url, union_data_dir=tmp_path)
    async with service_client(definition, settings) as client:
        alive = await client.get("/healthz")
        ready = await client.get("/readyz")
        deadline = time.monotonic() + 30  # polled, as a probe does: ready soon after start
        # a service may append at start (outreach its fixed points); its relay catches up soon after
        while not _settled(ready) and time.monotonic() < deadline:
            await asyncio.sleep(0.5)
            ready = await client.get("/readyz")
    assert alive.json() == {"status": "ok"}
    assert ready.status_code == 200, ready.text
    checks = ready.json()["checks"]
    assert (checks["database"], checks["nats"], checks["relay_lag"]) == ("ok", "ok", "0")
    assert checks["stream"] == f"{service.upper()} R1"  # one server: STREAM_REPLICAS=1
    assert (tmp_path / f"{service}.db").exists()


def _settled(ready) -> bool:
    return ready.status_code == 200 and ready.json()["checks"].get("relay_lag") == "0"


async def test_readiness_says_which_dependency_is_down(nats_server, tmp_path):
    from members.bootstrap import definition

    settings = ServiceSettings(nats_url=nats_server.url, union_data_dir=tmp_path)
    async with service_client(definition(), settings) as client:
        nats_server.kill()
        try:
            ready = await client.get("/readyz")
        finally:
            nats_server.restart()
    assert ready.status_code == 503
    assert ready.json()["checks"]["nats"] == "disconnected"
