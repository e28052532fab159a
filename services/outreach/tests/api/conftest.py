"""An outreach service on real NATS and a real database (SQLite and PostgreSQL), over HTTP."""

from __future__ import annotations

from datetime import date

import pytest
from outreach.bootstrap import definition
from union_events.settings import ServiceSettings
from union_events.testing.http import service_client

TODAY = date(2026, 10, 20)
DISTRICT = "zhoushan/dinghai"
ROVING = f"{DISTRICT}/ferry-square"
STATION = f"{DISTRICT}/pier-station"


@pytest.fixture
async def api(nats_url, database_url, tmp_path):
    settings = ServiceSettings(
        nats_url=nats_url, database_url=database_url, union_data_dir=tmp_path
    )
    async with service_client(definition(), settings, {"today": lambda: TODAY}) as client:
        yield client


async def register_points(api) -> None:
    for point, kind, amenities in (
        (ROVING, "roving_point", []),
        (STATION, "station", ["hot_water", "microwave", "first_aid_kit", "wifi", "charging"]),
    ):
        response = await api.post(
            "/points",
            json={
                "point": point,
                "name": point.rsplit("/", 1)[1],
                "kind": kind,
                "amenities": amenities,
                "hours": {"mon": "08:00-18:00", "sat": "09:00-12:00"},
            },
        )
        assert response.status_code == 201, response.text


async def held_session(api, point: str = ROVING, on: str = "2026-10-12", staff: int = 3) -> str:
    scheduled = await api.post(
        "/sessions", json={"point": point, "on": on, "services": ["legal_aid", "haircuts"]}
    )
    assert scheduled.status_code == 201, scheduled.text
    session_id = scheduled.json()["session_id"]
    held = await api.post(f"/sessions/{session_id}/held", json={"staff": staff})
    assert held.status_code == 200, held.text
    return session_id


def error(response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]
