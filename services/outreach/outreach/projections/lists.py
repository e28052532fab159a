"""Read models for the intakes list and the campaigns list. Rebuildable; each its own projection
(its own checkpoint), so that a new one is built from the start of the log, not from where an
older read model had got to.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    Integer,
    Numeric,
    String,
    Table,
    insert,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection
from union_events.events import RecordedEvent

from ..domain.intake import ROUTED_TO
from .views import views  # one metadata: the service creates its tables at start-up

intake_list_view = Table(
    "intake_list_view",
    views,
    Column("intake_id", String(64), primary_key=True),
    Column("district", String(200), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("place", String(200), nullable=True),
    Column("status", String(16), nullable=False),
    Column("routed_to", String(16), nullable=True),
    Column("accepted_by", String(16), nullable=True),
    Column("reference", String(64), nullable=True),
    Column("outcome", String(32), nullable=True),
    Column("amount", Numeric(14, 2), nullable=True),
    Column("recorded_on", Date, nullable=False, index=True),
    Column("closed_on", Date, nullable=True),
)
campaigns_view = Table(
    "campaigns_view",
    views,
    Column("campaign_id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("city", String(64), nullable=False, index=True),  # "" when none was recorded
    Column("stock", Integer, nullable=False),
    Column("handed_out", Integer, nullable=False),
    Column("categories", String(1400), nullable=False),  # comma-separated
    Column("districts", String(10_500), nullable=False),  # comma-separated; "" city-wide
    Column("starts_on", Date, nullable=False, index=True),
    Column("ends_on", Date, nullable=False),
)
campaign_districts_view = Table(  # one row per eligible district: the jurisdiction filter
    "campaign_districts_view",
    views,
    Column("campaign_id", String(64), primary_key=True),
    Column("district", String(200), primary_key=True, index=True),
)
_P = "union.outreach."


class IntakeListView:
    name = "outreach-intakes"
    tables: Sequence[Table] = (intake_list_view,)

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        t, d = event.type.removeprefix(_P).rsplit(".", 1)[0], event.data
        if t == "intake.recorded":
            routed_to = ROUTED_TO.get(d["kind"])
            await conn.execute(
                insert(intake_list_view).values(
                    **{k: d[k] for k in ("intake_id", "district", "kind", "channel", "place")},
                    status="routed" if routed_to else "recorded",
                    routed_to=routed_to,
                    recorded_on=_day(d["on"]),
                )
            )
        elif t == "intake.accepted":
            c = intake_list_view.c
            accepted = {"accepted_by": d["by"], "reference": d["reference"]}
            await _intake(conn, event.stream_id, **accepted)
            await _intake(conn, event.stream_id, c.status != "closed", status="accepted")
        elif t == "intake.closed":
            amount = Decimal(d["amount"]) if d["amount"] is not None else None
            closed = {"outcome": d["outcome"], "amount": amount, "closed_on": _day(d["on"])}
            await _intake(conn, event.stream_id, status="closed", **closed)


class CampaignsView:
    name = "outreach-campaigns"
    tables: Sequence[Table] = (campaigns_view, campaign_districts_view)

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        t, d = event.type.removeprefix(_P).rsplit(".", 1)[0], event.data
        if t == "campaign.opened":
            await conn.execute(
                insert(campaigns_view).values(
                    **{k: d[k] for k in ("campaign_id", "name", "kind", "stock")},
                    city=d.get("city") or "",
                    handed_out=0,
                    categories=",".join(d["categories"]),
                    districts=",".join(d["districts"]),
                    starts_on=_day(d["starts_on"]),
                    ends_on=_day(d["ends_on"]),
                )
            )
            rows = [{"campaign_id": d["campaign_id"], "district": x} for x in d["districts"]]
            if rows:
                await conn.execute(insert(campaign_districts_view), rows)
        elif t == "campaign.item_handed_out":
            c = campaigns_view.c
            where = c.campaign_id == d["campaign_id"]
            await conn.execute(
                update(campaigns_view).where(where).values(handed_out=c.handed_out + 1)
            )


async def _intake(conn: AsyncConnection, stream_id: str, *where: Any, **values: Any) -> None:
    c = intake_list_view.c
    match = c.intake_id == stream_id.removeprefix("intake-")
    await conn.execute(update(intake_list_view).where(match, *where).values(**values))


def _day(text: str) -> date:
    return date.fromisoformat(text)
