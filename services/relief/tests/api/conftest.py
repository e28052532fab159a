"""A relief service on real NATS and a real database, driven over HTTP in-process.

Relief helps members it has heard of: `members` registers them the way the members service
does, by publishing `member.registered` on NATS, and waits until relief knows them."""

from __future__ import annotations

from datetime import date

import nats
import pytest
from relief.bootstrap import definition
from union_events.settings import ServiceSettings
from union_events.testing.http import service_client
from union_events.testing.tokens import bearer

from ..members_feed import Members

TODAY = date(2026, 11, 23)
A, B = "zhoushan/dinghai", "zhoushan/putuo"


@pytest.fixture
def clock() -> dict[str, date]:
    """The service's today (`clock["today"]`): TODAY unless a test moves it."""
    return {"today": TODAY}


@pytest.fixture
async def api(nats_url, database_url, tmp_path, monkeypatch, clock):
    monkeypatch.setenv("RELIEF_SECRET", "")
    monkeypatch.setenv("RELIEF_WEBHOOK_URL", "")
    settings = ServiceSettings(
        nats_url=nats_url, database_url=database_url, union_data_dir=tmp_path
    )
    async with service_client(definition(), settings, {"today": lambda: clock["today"]}) as client:
        yield client


@pytest.fixture
async def members(api, nats_url):
    nc = await nats.connect(nats_url)
    try:
        yield Members(nc.jetstream(), api)
    finally:
        await nc.close()


@pytest.fixture
def a_officer(tmp_path) -> dict[str, str]:
    """Headers of a district A officer's bearer token (the api's data dir signs it)."""
    return bearer(tmp_path, "district_officer", A)


@pytest.fixture
def b_officer(tmp_path) -> dict[str, str]:
    return bearer(tmp_path, "district_officer", B)


async def standard(api, district=A, amount="770.00", effective_from="2026-01-01"):
    body = {"district": district, "amount": amount, "effective_from": effective_from}
    response = await api.post("/standards", json=body)
    assert response.status_code == 201, response.text


def file_body(member_id, district=A, income="1500.00", people=2, **extra):
    household = [{"name": f"家人{i}", "relation": "spouse" if i else "self"} for i in range(people)]
    return {
        "member_id": member_id,
        "district": district,
        "category": "relative",
        "household": household,
        "monthly_income": income,
        "notes": "丈夫因病失业",
    } | extra


async def open_file(api, member_id, **kw) -> dict:
    response = await api.post("/files", json=file_body(member_id, **kw))
    assert response.status_code == 201, response.text
    return response.json()
