"""A member registered and enrolled in members appears, through NATS only, in a projection
kept by another process with its own database."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

from members.bootstrap import definition
from members.domain.national_id import make_national_id
from union_events.settings import ServiceSettings
from union_events.testing.http import service_client
from union_events.testing.jetstream import publish_event
from union_events.testing.waiting import eventually

LISTENER = Path(__file__).with_name("enrolment_listener.py")
PLAN_YEAR_SET = "union.claims.plan_year.set.v1"


def listener_rows(path: Path) -> list[tuple]:
    if not path.exists():
        return []
    with sqlite3.connect(path) as db:
        try:
            return db.execute(
                "SELECT member_id, plan_id, year, insuring_district FROM enrolments"
            ).fetchall()
        except sqlite3.OperationalError:  # the table is not there yet
            return []


async def test_an_enrolment_reaches_another_process_through_nats_only(nats_url, tmp_path):
    listener_dir = tmp_path / "listener"
    process = subprocess.Popen(  # noqa: ASYNC220
        [sys.executable, str(LISTENER), nats_url, str(listener_dir)],
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        settings = ServiceSettings(nats_url=nats_url, union_data_dir=tmp_path / "members")
        async with service_client(definition(), settings) as api:
            for path, level in (
                ("zhoushan", "city"),
                ("zhoushan/dinghai", "district"),
                ("zhoushan/dinghai/u1", "unit"),
            ):
                await api.post("/orgs", json={"path": path, "name": path, "level": level})
            national_id = make_national_id("330902", date(1985, 3, 9), 7)
            created = await api.post(
                "/members",
                json={
                    "national_id": national_id,
                    "name": "陈平",
                    "phone": "13700000000",
                    "unit": "zhoushan/dinghai/u1",
                },
            )
            member_id = created.json()["member_id"]
            plan_year = {"plan_id": "inpatient", "year": 2026}  # as claims publishes it
            await publish_event(
                nats_url, "/union/claims", "plan-inpatient", PLAN_YEAR_SET, plan_year
            )

            async def plan_year_known() -> bool:
                return (await api.get("/plan-years/inpatient/2026")).status_code == 200

            await eventually(plan_year_known, message="members heard the plan year")
            enrolled = await api.post(f"/members/{member_id}/enrolments", json=plan_year)
            assert enrolled.status_code == 201, enrolled.text
            database = listener_dir / "enrolment-listener.db"
            rows = await eventually(
                lambda: [r for r in listener_rows(database) if r[0] == member_id], timeout=30
            )
        assert rows == [(member_id, "inpatient", 2026, "zhoushan/dinghai")]
    finally:
        process.terminate()
        process.wait(10)
