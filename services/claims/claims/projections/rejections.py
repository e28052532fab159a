"""Claims rejected, by filing district, day and reason code, for `GET /reports/rejections`.

Its own table (a new projection starts from the log's beginning, so it fills itself on an
existing database): a row per claim filed, its reason and day set when it is rejected."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Column, Connection, Date, String, Table, bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from union_events.db import insert_for
from union_events.events import RecordedEvent
from union_events.orgs import within

from ..domain.pooling import district_of
from .settlement import views

claim_rejections = Table(
    "claim_rejections_view",
    views,
    Column("claim_id", String(64), primary_key=True),
    Column("filing_district", String(200), nullable=False),
    Column("code", String(64), nullable=True),
    Column("rejected_on", Date, nullable=True, index=True),
)
FILED = "union.claims.claim.filed.v1"
REJECTED = "union.claims.claim.rejected.v1"


class RejectionsView:
    name = "claim-rejections-view"
    tables: Sequence[Table] = (claim_rejections,)
    event_types = (FILED, REJECTED)  # the only ones read from the log

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        await conn.run_sync(self.apply_sync, [event])

    def apply_sync(self, conn: Connection, events: Sequence[RecordedEvent]) -> None:
        filed: dict[str, dict[str, Any]] = {}
        rejected: dict[str, dict[str, Any]] = {}
        for e in events:
            claim_id = e.stream_id.removeprefix("claim-")
            if e.type == FILED:  # filed, or resubmitted corrected: not rejected (yet)
                district = district_of(e.data["service_point"])
                filed[claim_id] = {"claim_id": claim_id, "filing_district": district}
                filed[claim_id] |= {"code": None, "rejected_on": None}
                rejected.pop(claim_id, None)
            elif e.type == REJECTED:
                values = {"code": e.data["code"], "rejected_on": date.fromisoformat(e.data["on"])}
                if claim_id in filed:
                    filed[claim_id].update(values)
                else:
                    rejected[claim_id] = {
                        "key": claim_id,
                        **{f"v_{k}": v for k, v in values.items()},
                    }
        if filed:
            dialect = conn.dialect.name
            statement = insert_for(dialect)(claim_rejections)
            columns = ("filing_district", "code", "rejected_on")
            statement = statement.on_conflict_do_update(
                index_elements=[claim_rejections.c.claim_id],
                set_={c: statement.excluded[c] for c in columns},
            )
            conn.execute(statement, list(filed.values()))
        if rejected:
            c = claim_rejections.c
            statement = (
                update(claim_rejections)
                .where(c.claim_id == bindparam("key"))
                .values(code=bindparam("v_code"), rejected_on=bindparam("v_rejected_on"))
            )
            conn.execute(statement, list(rejected.values()))


async def rejections(
    engine: AsyncEngine, start: date, end: date, scope: str
) -> list[dict[str, Any]]:
    """Claims rejected in a period per filing district and reason code, within `scope`."""
    c = claim_rejections.c
    query = (
        select(c.filing_district, c.code, func.count())
        .where(c.rejected_on >= start, c.rejected_on <= end)
        .group_by(c.filing_district, c.code)
        .order_by(c.filing_district, c.code)
    )
    async with engine.connect() as conn:
        rows = await conn.execute(query)
        return [
            {"district": district, "code": code, "claims": int(n)}
            for district, code, n in rows
            if within(district, scope)
        ]
