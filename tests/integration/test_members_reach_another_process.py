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
from union_events.settings import ServiceSettings
from union_events.testing.http import service_client
from union_events.testing.jetstream import publish_event
from union_events.testing.seeding import (
    city_orgs,
    enrol,
    plan_year_heard,
    register_orgs,
    registered_member,
)
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
            await register_orgs(api, city_orgs("dinghai", points=()))
            born = date(1985, 3, 9)
            member_id = await registered_member(api, 7, "zhoushan/dinghai/u1", born=born)
            plan_year = {"plan_id": "inpatient", "year": 2026}  # as claims publishes it
            await publish_event(
                nats_url, "/union/claims", "plan-inpatient", PLAN_YEAR_SET, plan_year
            )
            await plan_year_heard(api)
            await enrol(api, member_id)
            database = listener_dir / "enrolment-listener.db"
            rows = await eventually(
                lambda: [r for r in listener_rows(database) if r[0] == member_id], timeout=30
            )
        assert rows == [(member_id, "inpatient", 2026, "zhoushan/dinghai")]
    finally:
        process.terminate()
        process.wait(10)
