"""`python -m relief.monthly_run 2026-11`: the monthly subsidy run as a job (cron, k8s).

Reads DATABASE_URL / UNION_DATA_DIR and RELIEF_* like the service; prints progress lines and
the counts as JSON at the end. Safe to rerun, also after a crash half-way: each card is paid
once per month.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from dataclasses import asdict

from union_events.clock import today as union_today
from union_events.db import create_tables
from union_events.errors import DomainError
from union_events.settings import ServiceSettings
from union_events.store import EventStore

from .app.relief import build_relief
from .app.run import run_month
from .projections.tables import views
from .settings import ReliefSettings


async def main(month: str) -> dict[str, object]:
    settings = ServiceSettings()
    store = await EventStore.open(settings.resolved_database_url("relief"))
    try:
        await create_tables(store.engine, views)
        relief = await build_relief(store, settings.union_data_dir, ReliefSettings())
        return asdict(await run_month(relief, month, union_today(settings.union_timezone)))
    finally:
        await store.close()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, stream=sys.stdout, format="%(message)s")
    if len(sys.argv) != 2:
        sys.exit("usage: python -m relief.monthly_run YYYY-MM")
    try:
        counts = asyncio.run(main(sys.argv[1]))
        print(json.dumps(counts, default=str), flush=True)  # money as '300.00'
    except DomainError as refused:  # a month not begun, or no month: said in words, exit 2
        print(json.dumps({"error": {"code": refused.code, "message": refused.message}}))
        sys.exit(2)
