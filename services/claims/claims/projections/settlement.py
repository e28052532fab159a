"""Payments between districts: who paid on behalf of whom (from `claim.paid` events)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Date,
    Index,
    MetaData,
    Numeric,
    String,
    Table,
    func,
    insert,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from union_events.events import RecordedEvent

views = MetaData()
payments = Table(
    "payments_view",
    views,
    Column("claim_id", String(64), primary_key=True),
    Column("paying_district", String(200), nullable=False, index=True),
    Column("insuring_district", String(200), nullable=False, index=True),
    Column("service_point", String(200), nullable=False),
    Column("amount", Numeric(14, 2), nullable=False),
    Column("paid_on", Date, nullable=False),
    # The settlement of a period reads this alone (covering; see docs/scale.md).
    Index(
        "ix_payments_view_paid_on_flow", "paid_on", "paying_district", "insuring_district", "amount"
    ),
)
PAID = "union.claims.claim.paid.v1"


class PaymentsView:
    name = "payments-view"
    tables: Sequence[Table] = (payments,)

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        await conn.run_sync(self.apply_sync, [event])

    def apply_sync(self, conn: Connection, events: Sequence[RecordedEvent]) -> None:
        rows = [
            {
                "claim_id": e.stream_id.removeprefix("claim-"),
                "paying_district": e.data["paying_district"],
                "insuring_district": e.data["insuring_district"],
                "service_point": e.data["service_point"],
                "amount": Decimal(e.data["amount"]),
                "paid_on": date.fromisoformat(e.data["on"]),
            }
            for e in events
            if e.type == PAID
        ]
        if rows:
            conn.execute(insert(payments), rows)


def _within(column: Any, scope: str) -> Any:
    return or_(column == scope, column.startswith(scope + "/", autoescape=True))


async def settlement(engine: AsyncEngine, start: date, end: date, scope: str) -> dict[str, Any]:
    """What each district paid on behalf of each other one, and the net balances: of the
    flows from or to a district within `scope` (a city, or one district)."""
    p = payments.c
    query = (
        select(p.paying_district, p.insuring_district, func.count(), func.sum(p.amount))
        .where(p.paid_on >= start, p.paid_on <= end)
        .where(or_(_within(p.paying_district, scope), _within(p.insuring_district, scope)))
        .group_by(payments.c.paying_district, payments.c.insuring_district)
        .order_by(payments.c.paying_district, payments.c.insuring_district)
    )
    flows, net = [], {}
    async with engine.connect() as conn:
        for paying, insuring, count, total in await conn.execute(query):
            amount = Decimal(total).quantize(Decimal("0.01"))
            flows.append(
                {
                    "paying_district": paying,
                    "insuring_district": insuring,
                    "claims": int(count),
                    "amount": str(amount),
                }
            )
            if paying != insuring:  # paid on behalf of another district: it owes the payer
                net[paying] = net.get(paying, Decimal("0.00")) + amount
                net[insuring] = net.get(insuring, Decimal("0.00")) - amount
    balances = [{"district": d, "net": str(v)} for d, v in sorted(net.items())]
    return {
        "scope": scope,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "flows": flows,
        "balances": balances,
    }
