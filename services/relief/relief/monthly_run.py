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
from datetime import date

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
        async with store.engine.begin() as conn:
            await conn.run_sync(views.create_all)
        relief = await build_relief(store, settings.union_data_dir, ReliefSettings())
        return asdict(await run_month(relief, month, date.today()))
    finally:
        await store.close()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, stream=sys.stdout, format="%(message)s")
    if len(sys.argv) != 2:
        sys.exit("usage: python -m relief.monthly_run YYYY-MM")
    print(json.dumps(asyncio.run(main(sys.argv[1]))), flush=True)
