"""Claims as lists and figures: by member, by service point, totals per district and period."""

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
    Numeric,
    String,
    Table,
    bindparam,
    func,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from union_events.db import insert_for
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
    Column("filed_on", Date, nullable=False),
    Column("filed_position", BigInteger, nullable=False),  # the filing's log position: its order
    Column("claimed", Numeric(14, 2), nullable=False),
    Column("benefit", Numeric(14, 2), nullable=True),
    Column("out_of_pocket", Numeric(14, 2), nullable=True),
    Column("insuring_district", String(200), nullable=True),
    Column("paid_at", String(200), nullable=True, index=True),
    Column("paying_district", String(200), nullable=True),
    Column("paid_on", Date, nullable=True),
    # The district report for a period reads these alone (covering: no table row is read):
    # at a million claims a year, that is a few hundred milliseconds less a query (see
    # docs/scale.md). The day first, so they also serve every filter on the day alone.
    Index("ix_claims_view_filed_on_district", "filed_on", "filing_district"),
    Index("ix_claims_view_paid_on_paying", "paid_on", "paying_district", "benefit"),
    Index("ix_claims_view_paid_on_insuring", "paid_on", "insuring_district", "benefit"),
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
        await conn.run_sync(self.apply_sync, [event])

    def apply_sync(self, conn: Connection, events: Sequence[RecordedEvent]) -> None:
        """A batch folded in memory first: one multi-row insert for the claims filed in it,
        one multi-row update per kind of change for the others (a few statements a batch)."""
        filed: dict[str, dict[str, Any]] = {}
        changed: dict[str, dict[str, Any]] = {}
        for event in events:
            change = _change(event)
            if change is None:
                continue
            claim_id, values = change
            if "member_id" in values:  # filed, or resubmitted corrected: the row starts over
                filed[claim_id] = {**_EMPTY, **values}
                changed.pop(claim_id, None)
            elif claim_id in filed:
                filed[claim_id].update(values)
            else:
                changed.setdefault(claim_id, {}).update(values)
        if filed:  # a resubmission files a claim again: the row is replaced
            conn.execute(_replace_rows(conn.dialect.name), list(filed.values()))
        by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for claim_id, values in changed.items():
            row = {"key": claim_id, **{f"v_{k}": v for k, v in values.items()}}
            by_columns.setdefault(tuple(sorted(values)), []).append(row)
        for columns, rows in by_columns.items():
            statement = (
                update(claims_view)
                .where(claims_view.c.claim_id == bindparam("key"))
                .values({c: bindparam(f"v_{c}") for c in columns})
            )
            conn.execute(statement, rows)


_EMPTY = {c.name: None for c in claims_view.columns}


def _replace_rows(dialect: str) -> Any:
    """INSERT ... ON CONFLICT (claim_id) DO UPDATE every column, on either backend."""
    statement = insert_for(dialect)(claims_view)
    return statement.on_conflict_do_update(
        index_elements=[claims_view.c.claim_id],
        set_={c.name: statement.excluded[c.name] for c in claims_view.columns if not c.primary_key},
    )


def _change(event: RecordedEvent) -> tuple[str, dict[str, Any]] | None:
    """The claim an event is about and the columns it sets, or None for other events."""
    if not event.type.startswith(_PREFIX):
        return None
    name, d = event.type.removeprefix(_PREFIX).rsplit(".", 1)[0], event.data
    claim_id = event.stream_id.removeprefix("claim-")
    if name == "filed":
        return claim_id, {
            "claim_id": claim_id,
            "member_id": d["member_id"],
            "status": "filed",
            "plan_id": d["plan_id"],
            "year": d["year"],
            "filed_at": d["service_point"],
            "filing_district": district_of(d["service_point"]),
            "filed_on": date.fromisoformat(d["filed_on"]),
            "filed_position": event.position,
            "claimed": Decimal(d["claimed"]),
        }
    if name == "assessed":
        return claim_id, {
            "status": "assessed",
            "benefit": Decimal(d["benefit"]),
            "out_of_pocket": Decimal(d["out_of_pocket"]),
            "insuring_district": d["insuring_district"],
        }
    if name == "paid":
        return claim_id, {
            "status": "paid",
            "paid_at": d["service_point"],
            "paying_district": d["paying_district"],
            "paid_on": date.fromisoformat(d["on"]),
        }
    if name in _STATUS:
        return claim_id, {"status": _STATUS[name]}
    return None


async def waiting_claims(engine: AsyncEngine, plan_id: str, year: int) -> list[str]:
    """Claims of a plan year waiting for the member's enrolment."""
    c = claims_view.c
    query = select(c.claim_id).where(
        c.plan_id == plan_id, c.year == year, c.status == "awaiting_eligibility"
    )
    async with engine.connect() as conn:
        return [row[0] for row in await conn.execute(query.order_by(c.claim_id))]


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
