"""Payments between districts: who paid on behalf of whom (from `claim.paid` events)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Date,
    Index,
    Integer,
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
from union_events.db import insert_for
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
# What the settlement of a period reads: payments_view's rows counted per day and flow (paying,
# insuring district), kept by the same projection in the same transaction; a year's settlement
# reads about 365 × flows rows whatever the number of claims. Amounts in cents (exact sums).
payments_daily = Table(
    "payments_daily",
    views,
    Column("paid_on", Date, primary_key=True),
    Column("paying_district", String(200), primary_key=True),
    Column("insuring_district", String(200), primary_key=True),
    Column("claims", Integer, nullable=False),
    Column("amount_cents", BigInteger, nullable=False),
)
PAID = "union.claims.claim.paid.v1"
ADDED = ("claims", "amount_cents")  # payments_daily's columns a batch adds to


class PaymentsView:
    name = "payments-view"
    tables: Sequence[Table] = (payments, payments_daily)
    event_types = (PAID,)  # the only ones read from the log

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
        if not rows:
            return
        conn.execute(insert(payments), rows)
        daily: dict[tuple[Any, ...], list[int]] = {}
        for row in rows:
            key = (row["paid_on"], row["paying_district"], row["insuring_district"])
            counts = daily.setdefault(key, [0, 0])
            counts[0] += 1
            counts[1] += int((row["amount"] * 100).to_integral_value())
        statement = insert_for(conn.dialect.name)(payments_daily)
        statement = statement.on_conflict_do_update(
            index_elements=list(payments_daily.primary_key.columns),
            set_={
                c: payments_daily.c[c] + statement.excluded[c] for c in ("claims", "amount_cents")
            },
        )
        conn.execute(
            statement,
            [{"paid_on": k[0], "paying_district": k[1], "insuring_district": k[2],
              "claims": n, "amount_cents": cents} for k, (n, cents) in daily.items()],
        )  # fmt: skip


def _within(column: Any, scope: str) -> Any:
    return or_(column == scope, column.startswith(scope + "/", autoescape=True))


async def settlement(engine: AsyncEngine, start: date, end: date, scope: str) -> dict[str, Any]:
    """What each district paid on behalf of each other one, and the net balances: of the
    flows from or to a district within `scope` (a city, or one district). Read from the day
    totals (`payments_daily`): the figures of payments_view's rows, without reading them."""
    p = payments_daily.c
    query = (
        select(p.paying_district, p.insuring_district, func.sum(p.claims), func.sum(p.amount_cents))
        .where(p.paid_on >= start, p.paid_on <= end)
        .where(or_(_within(p.paying_district, scope), _within(p.insuring_district, scope)))
        .group_by(p.paying_district, p.insuring_district)
        .order_by(p.paying_district, p.insuring_district)
    )
    flows, net = [], {}
    async with engine.connect() as conn:
        for paying, insuring, count, total in await conn.execute(query):
            amount = (Decimal(int(total)) / 100).quantize(Decimal("0.01"))
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
