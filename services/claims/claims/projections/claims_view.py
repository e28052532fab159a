"""Claims as lists and figures: by member, by service point, totals per district and period."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Date, Integer, Numeric, String, Table, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from union_events.events import RecordedEvent

from ..domain.pooling import district_of
from .settlement import views

claims_view = Table(
    "claims_view",
    views,
    Column("claim_id", String(64), primary_key=True),
    Column("member_id", String(64), nullable=False, index=True),
    Column("status", String(32), nullable=False),
    Column("plan_id", String(64), nullable=False),
    Column("year", Integer, nullable=False),
    Column("filed_at", String(200), nullable=False, index=True),
    Column("filing_district", String(200), nullable=False, index=True),
    Column("filed_on", Date, nullable=False, index=True),
    Column("claimed", Numeric(14, 2), nullable=False),
    Column("benefit", Numeric(14, 2), nullable=True),
    Column("out_of_pocket", Numeric(14, 2), nullable=True),
    Column("insuring_district", String(200), nullable=True),
    Column("paid_at", String(200), nullable=True, index=True),
    Column("paying_district", String(200), nullable=True),
    Column("paid_on", Date, nullable=True, index=True),
)
_PREFIX = "union.claims.claim."
_STATUS = {
    "eligibility_awaited": "awaiting_eligibility",
    "approved": "approved",
    "rejected": "rejected",
    "returned": "returned",
}


class ClaimsView:
    name = "claims-view"
    tables: Sequence[Table] = (claims_view,)

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        if not event.type.startswith(_PREFIX):
            return
        name, d = event.type.removeprefix(_PREFIX).rsplit(".", 1)[0], event.data
        claim_id = event.stream_id.removeprefix("claim-")
        if name == "filed":
            await conn.execute(
                insert(claims_view).values(
                    claim_id=claim_id,
                    member_id=d["member_id"],
                    status="filed",
                    plan_id=d["plan_id"],
                    year=d["year"],
                    filed_at=d["service_point"],
                    filing_district=district_of(d["service_point"]),
                    filed_on=date.fromisoformat(d["filed_on"]),
                    claimed=Decimal(d["claimed"]),
                )
            )
        elif name == "assessed":
            await _set(
                conn,
                claim_id,
                status="assessed",
                benefit=Decimal(d["benefit"]),
                out_of_pocket=Decimal(d["out_of_pocket"]),
                insuring_district=d["insuring_district"],
            )
        elif name == "paid":
            await _set(
                conn,
                claim_id,
                status="paid",
                paid_at=d["service_point"],
                paying_district=d["paying_district"],
                paid_on=date.fromisoformat(d["on"]),
            )
        elif name in _STATUS:
            await _set(conn, claim_id, status=_STATUS[name])


async def _set(conn: AsyncConnection, claim_id: str, **values: Any) -> None:
    await conn.execute(
        update(claims_view).where(claims_view.c.claim_id == claim_id).values(**values)
    )


async def claims_page(engine: AsyncEngine, where: Any, page: int, size: int) -> dict[str, Any]:
    query = (
        select(claims_view)
        .where(where)
        .order_by(claims_view.c.filed_on.desc(), claims_view.c.claim_id)
    )
    async with engine.connect() as conn:
        total = await conn.scalar(select(func.count()).select_from(claims_view).where(where))
        rows = await conn.execute(query.limit(size).offset((page - 1) * size))
        items = [_row(r._mapping) for r in rows]
    return {"total": int(total or 0), "page": page, "size": size, "claims": items}


async def district_totals(engine: AsyncEngine, start: date, end: date) -> list[dict[str, Any]]:
    """Per district and period, as union reports quote them: claims filed (person-times),
    reimbursements paid by its service points and for its insured members, and amounts."""
    c = claims_view.c
    figures: dict[str, dict[str, Any]] = {}

    def row(district: str) -> dict[str, Any]:
        return figures.setdefault(
            district,
            {
                "district": district,
                "filed": 0,
                "paid": 0,
                "paid_amount": Decimal("0.00"),
                "insured_paid": 0,
                "insured_amount": Decimal("0.00"),
            },
        )

    async with engine.connect() as conn:
        filed = (
            select(c.filing_district, func.count())
            .where(c.filed_on >= start, c.filed_on <= end)
            .group_by(c.filing_district)
        )
        for district, n in await conn.execute(filed):
            row(district)["filed"] = int(n)
        in_period = (c.paid_on >= start, c.paid_on <= end)
        for column, count_key, amount_key in (
            (c.paying_district, "paid", "paid_amount"),
            (c.insuring_district, "insured_paid", "insured_amount"),
        ):
            query = select(column, func.count(), func.sum(c.benefit)).where(*in_period)
            for district, n, amount in await conn.execute(query.group_by(column)):
                row(district)[count_key] = int(n)
                row(district)[amount_key] = Decimal(amount).quantize(Decimal("0.01"))
    return [
        {k: (f"{v:.2f}" if isinstance(v, Decimal) else v) for k, v in r.items()}
        for _, r in sorted(figures.items())
    ]


def _row(mapping: Any) -> dict[str, Any]:
    out = {}
    for key, value in dict(mapping).items():
        if isinstance(value, Decimal):
            value = f"{value:.2f}"
        elif isinstance(value, date):
            value = value.isoformat()
        out[key] = value
    return out
