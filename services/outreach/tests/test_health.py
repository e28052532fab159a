"""The outreach service starts on real NATS and SQLite and reports itself alive and ready."""

import httpx
from outreach.bootstrap import definition
from union_events.service import create_app
from union_events.settings import ServiceSettings


async def test_outreach_is_alive_and_ready_with_nats_and_its_database(nats_url, tmp_path):
    settings = ServiceSettings(nats_url=nats_url, union_data_dir=tmp_path)
    app = create_app(definition(), settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            assert (await client.get("/healthz")).json() == {"status": "ok"}
            ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"]["database"] == "ok"
    assert (tmp_path / "outreach.db").exists()
