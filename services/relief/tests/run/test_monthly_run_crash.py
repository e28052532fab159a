"""The monthly run killed half-way (SIGKILL) and run again pays each card exactly once."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import uuid
from datetime import date
from decimal import Decimal

from relief.app.files import Household, open_file
from relief.app.relief import Relief, set_standard
from relief.privacy import HouseholdVault, load_kek
from relief.projections.tables import views
from relief.settings import ReliefSettings
from union_events.events import EventContext
from union_events.store import EventStore
from union_events.testing.waiting import eventually

from ..members_feed import hear_registered

CARDS = 24
PAID = "union.relief.subsidy.paid.v1"


async def cards_in(db_path, tmp_path) -> None:
    store = await EventStore.open(f"sqlite+aiosqlite:///{db_path}")
    try:
        async with store.engine.begin() as conn:
            await conn.run_sync(views.create_all)
        vault = HouseholdVault(store.engine, load_kek(tmp_path))
        await vault.create()
        relief = Relief(store, vault, ReliefSettings())
        ctx = EventContext()
        await set_standard(
            relief,
            district="zhoushan/dinghai",
            amount=Decimal("770.00"),
            effective_from=date(2026, 1, 1),
            actor=None,
            ctx=ctx,
        )
        for n in range(CARDS):
            member_id = str(uuid.UUID(int=n + 1))
            await hear_registered(relief, member_id, "zhoushan/dinghai")
            await open_file(
                relief,
                member_id=member_id,
                district="zhoushan/dinghai",
                category="deep",
                household=Household([{"name": "x", "relation": "self"}], ""),
                monthly_income=Decimal("500.00"),
                opened_by="zhoushan/dinghai",
                actor=None,
                today=date(2026, 3, 1),
                ctx=ctx,
            )
    finally:
        await store.close()


def payments(db_path) -> list[str]:
    with sqlite3.connect(db_path) as db:
        rows = db.execute("SELECT stream_id FROM events WHERE type = ?", (PAID,)).fetchall()
    return [r[0] for r in rows]


def run(tmp_path, db_path, month="2026-11", **env) -> subprocess.Popen[str]:
    environ = os.environ | {
        "DATABASE_URL": f"sqlite+aiosqlite:///{db_path}",
        "UNION_DATA_DIR": str(tmp_path),
        "RELIEF_SECRET": "",
        **env,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "relief.monthly_run", month],
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


async def test_a_run_killed_half_way_then_rerun_pays_each_card_exactly_once(tmp_path):
    db_path = tmp_path / "relief.db"
    await cards_in(db_path, tmp_path)
    slow = run(tmp_path, db_path, RELIEF_RUN_DELAY_S="0.05")
    try:
        await eventually(lambda: len(payments(db_path)) >= 5, timeout=30, interval=0.01)
        slow.send_signal(signal.SIGKILL)
        assert slow.wait(10) == -signal.SIGKILL
    finally:
        if slow.poll() is None:
            slow.kill()
        slow.communicate()
    before = len(payments(db_path))
    assert 5 <= before < CARDS  # it died half-way

    rerun = run(tmp_path, db_path)
    out, _ = rerun.communicate(timeout=60)
    assert rerun.returncode == 0, out
    lines = out.strip().splitlines()
    counts = json.loads(lines[-1])
    paid = CARDS - before
    assert counts == {
        "month": "2026-11", "cards": CARDS, "paid": paid, "skipped": before, "not_members": 0,
        "amount": "300.00", "total": f"{300 * paid}.00",
    }  # fmt: skip
    assert any("paid card" in line for line in lines)  # progress is shown
    streams = payments(db_path)
    assert len(streams) == len(set(streams)) == CARDS  # each card once


async def test_the_job_refuses_a_month_that_has_not_begun_and_pays_nothing(tmp_path):
    db_path = tmp_path / "relief.db"
    await cards_in(db_path, tmp_path)
    job = run(tmp_path, db_path, month="2100-12")  # not begun, whatever today is
    out, _ = job.communicate(timeout=60)
    assert job.returncode == 2, out
    refused = json.loads(out.strip().splitlines()[-1])["error"]
    assert refused["code"] == "month_not_begun" and "December 2100" in refused["message"]
    assert payments(db_path) == []
