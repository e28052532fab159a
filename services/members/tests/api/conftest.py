"""A members service on real NATS and a real database, driven over HTTP in-process."""

from __future__ import annotations

from datetime import date

import pytest
from members.bootstrap import definition
from union_events.settings import ServiceSettings
from union_events.testing.http import service_client
from union_events.testing.jetstream import publish_event
from union_events.testing.people import national_id, person
from union_events.testing.seeding import city_orgs, register_orgs
from union_events.testing.waiting import eventually

PLAN_YEAR_SET = "union.claims.plan_year.set.v1"

TODAY = date(2026, 11, 23)


@pytest.fixture
async def api(nats_url, database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("MEMBERS_SECRET", "")
    settings = ServiceSettings(
        nats_url=nats_url, database_url=database_url, union_data_dir=tmp_path
    )
    async with service_client(definition(), settings, {"today": lambda: TODAY}) as client:
        yield client


BORN = date(1990, 5, 17)


def nid(n: int, born: date = BORN, region: str = "330902") -> str:
    """A valid national ID number, distinct for each n."""
    return national_id(n, born, region)


async def city(api, districts=("dinghai", "putuo")) -> None:
    """zhoushan with districts, one unit and one service point in each."""
    assert (
        await api.post("/orgs", json={"path": "zhoushan", "name": "舟山市总工会", "level": "city"})
    ).status_code == 201
    await register_orgs(api, city_orgs(*districts)[1:])


async def register(api, n: int, unit: str = "zhoushan/dinghai/u1", name: str = "王小明"):
    return await api.post("/members", json=person(n, unit, born=BORN, name=name))


async def plan_year(
    api, nats_url: str, year: int = 2026, plan_id: str = "inpatient", **dates: str
) -> None:
    """claims sets a plan year (its `plan_year.set` on NATS); wait until members knows it."""
    await publish_plan_year(nats_url, plan_id, year, **dates)

    async def known() -> bool:
        answer = await api.get(f"/plan-years/{plan_id}/{year}")
        return answer.status_code == 200 and all(answer.json()[k] == v for k, v in dates.items())

    await eventually(known, message=f"members heard of {plan_id} {year}")


async def publish_plan_year(nats_url: str, plan_id: str, year: int, **dates: str) -> str:
    """Publish claims' `union.claims.plan_year.set.v1` as claims' relay would; its event id."""
    data = {"plan_id": plan_id, "year": year} | dates
    stream = f"plan-{plan_id}-{year}"
    return await publish_event(nats_url, "/union/claims", stream, PLAN_YEAR_SET, data)
