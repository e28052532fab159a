"""An outreach service on real NATS and a real database (SQLite and PostgreSQL), over HTTP."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from outreach.bootstrap import definition
from union_events.events import EventContext, RecordedEvent
from union_events.published.members import MemberRegistered
from union_events.settings import ServiceSettings
from union_events.testing.http import service_client
from union_events.testing.waiting import eventually
from union_events.wire import encode

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


def runtime_of(api):
    return api._transport.app.state.runtime


async def members_publish(api, payload) -> None:
    """What the members service publishes, as a real CloudEvent on its stream (NATS)."""
    event = RecordedEvent(
        1, f"member-{payload.member_id}", 1, str(uuid.uuid4()), payload.event_type(),
        payload.model_dump(mode="json"), datetime.now(UTC), EventContext(),
    )  # fmt: skip
    subject, headers, body = encode(event, "/union/members")
    await runtime_of(api).js.publish(subject, body, headers=headers)


async def known_member(api, district: str = DISTRICT) -> str:
    """A member registered at members (in a unit of `district`), heard by outreach over NATS."""
    member_id = str(uuid.uuid4())
    registered = MemberRegistered(
        member_id=member_id, unit=f"{district}/u1", district=district, joined_on=TODAY,
        channel="counter",
    )  # fmt: skip
    await members_publish(api, registered)

    async def heard() -> bool:
        return True if await runtime_of(api).store.read_stream(f"member-{member_id}") else None

    await eventually(heard, timeout=20, message="outreach heard of the member")
    return member_id
