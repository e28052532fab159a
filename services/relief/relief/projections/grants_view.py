"""Applications and payouts (grants disbursed, card subsidies): lists and the district report.

A payout counts in the reports on its `counted_on` day: a grant on the day it was disbursed, a
month's subsidy in its own month (on the month's first day), whenever the run paid it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from union_events.events import RecordedEvent

from ..domain.subsidy import first_day
from .files_view import in_scope
from .tables import applications_view, payouts_view

_APP = "union.relief.application."
SUBSIDY_PAID = "union.relief.subsidy.paid.v1"


def _day(text: str) -> date:
    return date.fromisoformat(text)


class GrantsView:
    name = "relief-grants-view-2"
    tables: Sequence[Table] = (applications_view, payouts_view)

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        d = event.data
        if event.type == SUBSIDY_PAID:
            await conn.execute(
                insert(payouts_view).values(
                    ref=f"{d['member_id']}:{d['month']}:{d['card_id']}",
                    district=d["district"],
                    kind="card_subsidy",
                    member_id=d["member_id"],
                    amount=Decimal(d["amount"]),
                    paid_on=_day(d["on"]),
                    counted_on=first_day(d["month"]),
                    year=int(d["month"][:4]),
                )
            )
            return
        if not event.type.startswith(_APP):
            return
        name = event.type.removeprefix(_APP).rsplit(".", 1)[0]
        application_id = event.stream_id.removeprefix("application-")
        a = applications_view.c
        this = update(applications_view).where(a.application_id == application_id)
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
                    drafted_on=_day(d["on"]),
                )
            )
        elif name == "recipient_set":
            await conn.execute(this.values(member_id=d["member_id"]))
        elif name == "submitted":
            await conn.execute(
                this.values(status="submitted", amount_requested=Decimal(d["amount"]))
            )
        elif name == "approved":
            await conn.execute(this.values(status="approved", amount_approved=Decimal(d["amount"])))
        elif name == "rejected":
            await conn.execute(this.values(status="rejected", rejection_reason=d["reason"]))
        elif name == "receipt_recorded":
            await conn.execute(this.values(receipt_on=_day(d["on"])))
        elif name == "disbursed":
            on = _day(d["on"])
            await conn.execute(this.values(status="disbursed", disbursed_on=on))
            row = (
                await conn.execute(
                    select(applications_view).where(a.application_id == application_id)
                )
            ).one()
            await conn.execute(
                insert(payouts_view).values(
                    ref=application_id,
                    district=row.district,
                    kind=row.kind,
                    member_id=row.member_id,
                    amount=Decimal(d["amount"]),
                    paid_on=on,
                    counted_on=on,
                    year=int(d["year"]),
                )
            )


async def applications_in(
    engine: AsyncEngine, scope: str, status: str | None, page: int, page_size: int
) -> tuple[list[dict[str, Any]], int]:
    """A page of the applications of a district (or a city's districts), oldest first, and how
    many in all."""
    a = applications_view.c
    where = in_scope(a.district, scope)
    if status:
        where = where & (a.status == status)
    query = (
        select(applications_view)
        .where(where)
        .order_by(a.drafted_on, a.application_id)
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    async with engine.connect() as conn:
        count = select(func.count()).select_from(applications_view).where(where)
        total = (await conn.execute(count)).scalar_one()
        rows = await conn.execute(query)
        return [dict(r._mapping) for r in rows], int(total)


async def district_report(
    engine: AsyncEngine, start: date, end: date, scope: str | None = None
) -> list[dict[str, Any]]:
    """Per district and kind in a period: person-times (payouts) and amounts, and totals."""
    p = payouts_view.c
    query = (
        select(p.district, p.kind, func.count(), func.sum(p.amount))
        .where(p.counted_on >= start, p.counted_on <= end)
        .group_by(p.district, p.kind)
        .order_by(p.district, p.kind)
    )
    if scope:
        query = query.where(in_scope(p.district, scope))
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
