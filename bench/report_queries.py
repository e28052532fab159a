"""The claims report and the settlement for a year on read models of N paid claims (SQLite).

    .venv/bin/python bench/report_queries.py [--claims 1000000] [--indexes new|old] [--runs 3]

Writes N rows straight into `claims_view` and `payments_view` (the tables as the working
tree's projections define them, filled as the projections fill them for a paid claim: 16
districts, a fifth paid in another district, spread over 2026), and their day totals
(`claims_filed_daily`, `claims_paid_daily`, `payments_daily`, summed from those rows as the
projections keep them), then times `district_totals` and `settlement` for the year,
city-wide, as `GET /reports/districts` and `GET /settlements` call them (from the day
totals), and the same figures counted from the rows (the queries before the day totals,
kept here): median wall and CPU milliseconds of `--runs` after a warm-up, and whether the two
answers are the same. `--indexes old` drops the covering indexes and puts back the
single-column day indexes the tables had before them (the first "before" of docs/scale.md).
No HTTP, no log: the read model alone, so a million claims takes a minute to set up.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from claims.projections.claims_view import claims_view, district_totals
from claims.projections.settlement import _within, payments, settlement, views
from sqlalchemy import create_engine, func, insert, or_, select, text
from union_events.db import create_engine as create_async_engine

OLD = (  # what the tables had before the covering indexes (December 2026)
    "DROP INDEX IF EXISTS ix_claims_view_filed_on_district",
    "DROP INDEX IF EXISTS ix_claims_view_paid_on_paying",
    "DROP INDEX IF EXISTS ix_claims_view_paid_on_insuring",
    "DROP INDEX IF EXISTS ix_payments_view_paid_on_flow",
    "CREATE INDEX ix_claims_view_filed_on ON claims_view (filed_on)",
    "CREATE INDEX ix_claims_view_paid_on ON claims_view (paid_on)",
    "CREATE INDEX ix_payments_view_paid_on ON payments_view (paid_on)",
)


def fill(path: Path, n: int, indexes: str) -> None:
    engine = create_engine(f"sqlite:///{path}")
    views.create_all(engine)
    with engine.begin() as conn:
        if indexes == "old":
            for statement in OLD:
                conn.execute(text(statement))
        for first in range(0, n, 50_000):
            claims, paid = [], []
            for j in range(first, min(n, first + 50_000)):
                d = j % 16
                payer = d if j % 5 else (d + 1) % 16
                filed = date(2026, 1, 8) + timedelta(days=j % 320)
                claim_id = f"{j:08d}-0000-4000-8000-{j:012d}"
                home, paying = f"zhoushan/d{d:02d}", f"zhoushan/d{payer:02d}"
                benefit = Decimal("3011.00")
                claims.append(
                    {
                        "claim_id": claim_id,
                        "member_id": f"member-{j}",
                        "status": "paid",
                        "plan_id": "inpatient",
                        "year": 2026,
                        "filed_at": f"{home}/center",
                        "filing_district": home,
                        "filed_on": filed,
                        "filed_position": 6 * j + 1,
                        "claimed": Decimal(1000 + j % 9000),
                        "benefit": benefit,
                        "out_of_pocket": Decimal("100.00"),
                        "insuring_district": home,
                        "paid_at": f"{paying}/center",
                        "paying_district": paying,
                        "paid_on": filed + timedelta(days=3),
                    }
                )
                paid.append(
                    {
                        "claim_id": claim_id,
                        "paying_district": paying,
                        "insuring_district": home,
                        "service_point": f"{paying}/center",
                        "amount": benefit,
                        "paid_on": filed + timedelta(days=3),
                    }
                )
            conn.execute(insert(claims_view), claims)
            conn.execute(insert(payments), paid)
        for statement in TOTALS:
            conn.execute(text(statement))
    engine.dispose()


TOTALS = (  # the day totals, as the projections hold them for these rows
    "INSERT INTO claims_filed_daily SELECT filed_on, filing_district, count(*) FROM claims_view"
    " GROUP BY filed_on, filing_district",
    "INSERT INTO claims_paid_daily SELECT paid_on, paying_district, insuring_district, count(*),"
    " CAST(round(sum(benefit) * 100) AS INTEGER) FROM claims_view WHERE paid_on IS NOT NULL"
    " GROUP BY paid_on, paying_district, insuring_district",
    "INSERT INTO payments_daily SELECT paid_on, paying_district, insuring_district, count(*),"
    " CAST(round(sum(amount) * 100) AS INTEGER) FROM payments_view"
    " GROUP BY paid_on, paying_district, insuring_district",
)


async def totals_from_rows(engine: Any, start: date, end: date) -> list[dict[str, Any]]:
    """`district_totals` as it was before the day totals: claims_view's rows of the period."""
    c = claims_view.c
    figures: dict[str, dict[str, Any]] = {}

    def row(district: str) -> dict[str, Any]:
        empty = {"district": district, "filed": 0, "paid": 0, "paid_amount": Decimal("0.00"),
                 "insured_paid": 0, "insured_amount": Decimal("0.00")}  # fmt: skip
        return figures.setdefault(district, empty)

    async with engine.connect() as conn:
        filed = (
            select(c.filing_district, func.count())
            .where(c.filed_on >= start, c.filed_on <= end)
            .group_by(c.filing_district)
        )
        for district, n in await conn.execute(filed):
            row(district)["filed"] = int(n)
        for column, count_key, amount_key in (
            (c.paying_district, "paid", "paid_amount"),
            (c.insuring_district, "insured_paid", "insured_amount"),
        ):
            query = select(column, func.count(), func.sum(c.benefit))
            query = query.where(c.paid_on >= start, c.paid_on <= end).group_by(column)
            for district, n, amount in await conn.execute(query):
                row(district)[count_key] = int(n)
                row(district)[amount_key] = Decimal(amount).quantize(Decimal("0.01"))
    return [
        {k: (f"{v:.2f}" if isinstance(v, Decimal) else v) for k, v in r.items()}
        for _, r in sorted(figures.items())
    ]


async def settlement_from_rows(engine: Any, start: date, end: date, scope: str) -> Any:
    """The flows of `settlement` as they were before the day totals: payments_view's rows."""
    p = payments.c
    query = (
        select(p.paying_district, p.insuring_district, func.count(), func.sum(p.amount))
        .where(p.paid_on >= start, p.paid_on <= end)
        .where(or_(_within(p.paying_district, scope), _within(p.insuring_district, scope)))
        .group_by(p.paying_district, p.insuring_district)
        .order_by(p.paying_district, p.insuring_district)
    )
    async with engine.connect() as conn:
        return [
            {"paying_district": a, "insuring_district": b, "claims": int(n),
             "amount": str(Decimal(t).quantize(Decimal("0.01")))}
            for a, b, n, t in await conn.execute(query)
        ]  # fmt: skip


async def measure(path: Path, runs: int) -> dict[str, tuple[float, float]]:
    engine = create_async_engine(f"sqlite+aiosqlite:///{path}")
    start, end = date(2026, 1, 1), date(2026, 12, 31)
    queries = {
        "claims report, a year (day totals)": lambda: district_totals(engine, start, end),
        "claims report, a year (rows, before)": lambda: totals_from_rows(engine, start, end),
        "settlement, a year (day totals)": lambda: settlement(engine, start, end, "zhoushan"),
        "settlement, a year (rows, before)": lambda: settlement_from_rows(
            engine, start, end, "zhoushan"
        ),
    }
    figures = {}
    answers: dict[str, Any] = {}
    try:
        for label, query in queries.items():
            answers[label] = await query()  # warm-up: the pages in the cache
            walls, cpus = [], []
            for _ in range(runs):
                t0, c0 = time.perf_counter(), time.process_time()
                await query()
                walls.append(time.perf_counter() - t0)
                cpus.append(time.process_time() - c0)
            figures[label] = (statistics.median(walls) * 1000, statistics.median(cpus) * 1000)
    finally:
        await engine.dispose()
    labels = list(answers)
    same_report = answers[labels[0]] == answers[labels[1]]
    same_flows = answers[labels[2]]["flows"] == answers[labels[3]]
    print(f"same answers from the day totals as from the rows: report {same_report}, "
          f"settlement {same_flows}")  # fmt: skip
    return figures


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--indexes", choices=("new", "old"), default="new")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="report-queries-") as tmp:
        path = Path(tmp) / "claims.db"
        t0 = time.perf_counter()
        fill(path, args.claims, args.indexes)
        print(f"{args.claims:,} paid claims in the read models ({args.indexes} indexes) in "
              f"{time.perf_counter() - t0:.0f} s")  # fmt: skip
        for label, (wall, cpu) in asyncio.run(measure(path, args.runs)).items():
            print(f"{label}: {wall:,.0f} ms (CPU {cpu:,.0f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
