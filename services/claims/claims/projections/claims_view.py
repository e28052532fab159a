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
# What the district report for a period reads (`district_totals`): the claims of claims_view
# counted per day and district as they stand (a claim filed on a day, in a district; paid on a
# day, by a paying and for an insuring district, with its benefit), kept by the same projection
# in the same transaction, so a year's report reads about 365 × districts rows whatever the
# number of claims. Amounts in cents (integers: sums exact on either backend).
claims_filed_daily = Table(
    "claims_filed_daily",
    views,
    Column("filed_on", Date, primary_key=True),
    Column("filing_district", String(200), primary_key=True),
    Column("claims", Integer, nullable=False),
)
claims_paid_daily = Table(
    "claims_paid_daily",
    views,
    Column("paid_on", Date, primary_key=True),
    Column("paying_district", String(200), primary_key=True),  # "" for none (never, paid)
    Column("insuring_district", String(200), primary_key=True),  # "" for none
    Column("claims", Integer, nullable=False),
    Column("benefit_cents", BigInteger, nullable=False),
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
    tables: Sequence[Table] = (claims_view, claims_filed_daily, claims_paid_daily)
    event_types = (_PREFIX,)  # a claim's events, the only ones read from the log

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
        if not filed and not changed:
            return
        before = _rows(conn, [*filed, *changed])  # the rows as they stand, for the day totals
        after = {k: {**before[k], **v} for k, v in changed.items() if k in before}
        _count(conn, before.values(), after.values(), filed.values())
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
_COUNTED = ("claim_id", "filed_on", "filing_district", "paid_on", "paying_district",
            "insuring_district", "benefit")  # fmt: skip


def _rows(conn: Connection, claim_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The claims' rows now (those that have one), with the columns the day totals count."""
    c = claims_view.c
    found: dict[str, dict[str, Any]] = {}
    for first in range(0, len(claim_ids), 2000):
        query = select(*(c[name] for name in _COUNTED)).where(
            c.claim_id.in_(claim_ids[first : first + 2000])
        )
        for row in conn.execute(query).mappings():
            found[row["claim_id"]] = dict(row)
    return found


def _cents(amount: Decimal | None) -> int:
    return 0 if amount is None else int((Decimal(amount) * 100).to_integral_value())


def _count(conn: Connection, *rows: Any) -> None:
    """Add to the day totals what the claims' rows count after the batch, less what they
    counted before it (`rows`: before, then after; an upsert adding the difference per day)."""
    filed: dict[tuple[Any, ...], int] = {}
    paid: dict[tuple[Any, ...], list[int]] = {}
    for sign, group in zip((-1, 1, 1), rows, strict=True):
        for row in group:
            if row["filed_on"] is not None:
                key = (row["filed_on"], row["filing_district"])
                filed[key] = filed.get(key, 0) + sign
            if row["paid_on"] is not None:
                paying, insuring = row["paying_district"] or "", row["insuring_district"] or ""
                flow = (row["paid_on"], paying, insuring)
                counts = paid.setdefault(flow, [0, 0])
                counts[0] += sign
                counts[1] += sign * _cents(row["benefit"])
    filed_rows = [{"filed_on": k[0], "filing_district": k[1], "claims": n}
                  for k, n in filed.items() if n]  # fmt: skip
    paid_rows = [{"paid_on": k[0], "paying_district": k[1], "insuring_district": k[2],
                  "claims": n, "benefit_cents": cents}
                 for k, (n, cents) in paid.items() if n or cents]  # fmt: skip
    for table, values, added in (
        (claims_filed_daily, filed_rows, ("claims",)),
        (claims_paid_daily, paid_rows, ("claims", "benefit_cents")),
    ):
        if values:
            conn.execute(_add_rows(conn.dialect.name, table, added), values)


def _add_rows(dialect: str, table: Table, added: tuple[str, ...]) -> Any:
    """INSERT ... ON CONFLICT (the day's key) DO UPDATE adding the columns `added`."""
    statement = insert_for(dialect)(table)
    return statement.on_conflict_do_update(
        index_elements=list(table.primary_key.columns),
        set_={c: table.c[c] + statement.excluded[c] for c in added},
    )


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
    reimbursements paid by its service points and for its insured members, and amounts. Read
    from the day totals (`claims_filed_daily`, `claims_paid_daily`): the same figures as
    counting claims_view's rows of the period, without reading them."""
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

    f, p = claims_filed_daily.c, claims_paid_daily.c
    async with engine.connect() as conn:  # the day totals: ~365 × districts rows a year
        filed = (
            select(f.filing_district, func.sum(f.claims))
            .where(f.filed_on >= start, f.filed_on <= end)
            .group_by(f.filing_district)
            .having(func.sum(f.claims) > 0)
        )
        for district, n in await conn.execute(filed):
            row(district)["filed"] = int(n)
        in_period = (p.paid_on >= start, p.paid_on <= end)
        for column, count_key, amount_key in (
            (p.paying_district, "paid", "paid_amount"),
            (p.insuring_district, "insured_paid", "insured_amount"),
        ):
            query = (
                select(column, func.sum(p.claims), func.sum(p.benefit_cents))
                .where(*in_period)
                .group_by(column)
                .having(func.sum(p.claims) > 0)
            )
            for district, n, cents in await conn.execute(query):
                figures_of = row(district or None)  # type: ignore[arg-type]
                figures_of[count_key] = int(n)
                figures_of[amount_key] = (Decimal(int(cents)) / 100).quantize(Decimal("0.01"))
    return [
        {k: (f"{v:.2f}" if isinstance(v, Decimal) else v) for k, v in r.items()}
        for _, r in sorted(figures.items())
    ]
