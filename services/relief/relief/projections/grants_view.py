"""Applications and payouts (grants disbursed, card subsidies): lists and the district report."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from union_events.events import RecordedEvent
from union_events.money import contract_row

from .tables import applications_view, payouts_view

_APP = "union.relief.application."
SUBSIDY_PAID = "union.relief.subsidy.paid.v1"


class GrantsView:
    name = "relief-grants-view"
    tables: Sequence[Table] = (applications_view, payouts_view)

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        d = event.data
        if event.type == SUBSIDY_PAID:
            await conn.execute(
                insert(payouts_view).values(
                    ref=f"{d['card_id']}:{d['month']}",
                    district=d["district"],
                    kind="card_subsidy",
                    member_id=d["member_id"],
                    amount=Decimal(d["amount"]),
                    paid_on=date.fromisoformat(d["on"]),
                    year=int(d["month"][:4]),
                )
            )
            return
        if not event.type.startswith(_APP):
            return
        name = event.type.removeprefix(_APP).rsplit(".", 1)[0]
        application_id = event.stream_id.removeprefix("application-")
        a = applications_view.c
        where = a.application_id == application_id
        if name == "drafted":
            await conn.execute(
                insert(applications_view).values(
                    application_id=application_id,
                    member_id=d["member_id"],
                    district=d["district"],
                    kind=d["kind"],
                    status="drafted",
                    source=d["source"],
                    intake_id=d["intake_id"],
                    drafted_on=date.fromisoformat(d["on"]),
                )
            )
        elif name in ("submitted", "approved"):
            values = {"status": name, "amount": Decimal(d["amount"])}
            await conn.execute(update(applications_view).where(where).values(**values))
        elif name == "rejected":
            await conn.execute(update(applications_view).where(where).values(status="rejected"))
        elif name == "disbursed":
            await conn.execute(update(applications_view).where(where).values(status="disbursed"))
            row = (await conn.execute(select(applications_view).where(where))).one()
            await conn.execute(
                insert(payouts_view).values(
                    ref=application_id,
                    district=row.district,
                    kind=row.kind,
                    member_id=row.member_id,
                    amount=Decimal(d["amount"]),
                    paid_on=date.fromisoformat(d["on"]),
                    year=int(d["year"]),
                )
            )


async def applications_of(engine: AsyncEngine, **where: Any) -> list[dict[str, Any]]:
    query = select(applications_view)
    for column, value in where.items():
        query = query.where(applications_view.c[column] == value)
    async with engine.connect() as conn:
        rows = await conn.execute(query.order_by(applications_view.c.drafted_on))
        return [contract_row(r._mapping) for r in rows]


async def district_report(engine: AsyncEngine, start: date, end: date) -> list[dict[str, Any]]:
    """Per district and kind in a period: person-times (payouts) and amounts, and totals."""
    p = payouts_view.c
    query = (
        select(p.district, p.kind, func.count(), func.sum(p.amount))
        .where(p.paid_on >= start, p.paid_on <= end)
        .group_by(p.district, p.kind)
        .order_by(p.district, p.kind)
    )
    report: dict[str, dict[str, Any]] = {}
    async with engine.connect() as conn:
        for district, kind, n, total in await conn.execute(query):
            row = report.setdefault(
                district,
                {"district": district, "kinds": {}, "person_times": 0, "amount": Decimal(0)},
            )
            amount = Decimal(total).quantize(Decimal("0.01"))
            row["kinds"][kind] = {"person_times": int(n), "amount": f"{amount:.2f}"}
            row["person_times"] += int(n)
            row["amount"] += amount
    return [r | {"amount": f"{r['amount']:.2f}"} for r in report.values()]
