"""QR sign-up campaigns (扫码入会) and the people who signed up through them: read models of the
members log, for the district's lists. Their own tables (new projections fill themselves from
the beginning of the log)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    Integer,
    String,
    Table,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from union_events.events import RecordedEvent

from ..domain import codec
from ..domain.events import CampaignOpened, SignUpsRecorded
from .views import views

campaigns_view = Table(
    "campaigns_view",
    views,
    Column("campaign_id", String(64), primary_key=True),
    Column("district", String(200), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("daily_target", Integer, nullable=False),
    Column("weekly_target", Integer, nullable=False),
    Column("monthly_target", Integer, nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("opened_at", BigInteger, nullable=False, index=True),  # the log position
    Column("total", Integer, nullable=False, default=0),
    Column("duplicates", Integer, nullable=False, default=0),
)

campaign_signups_view = Table(
    "campaign_signups_view",
    views,
    Column("campaign_id", String(64), primary_key=True),
    Column("member_id", String(64), primary_key=True),
    Column("signed_up_on", Date, nullable=False),
    Column("position", BigInteger, nullable=False),  # the log position of the batch
    Column("seq", Integer, nullable=False),  # the place in the batch
)

_OPENED = codec.EVENT_TYPES[CampaignOpened]
_RECORDED = codec.EVENT_TYPES[SignUpsRecorded]
_PREFIX = "campaign-"


class CampaignsView:
    name = "campaigns-view"
    tables: Sequence[Table] = (campaigns_view, campaign_signups_view)
    event_types = (_OPENED, _RECORDED)  # the only ones read from the log

    async def apply(self, conn: AsyncConnection, recorded: RecordedEvent) -> None:
        if recorded.type not in (_OPENED, _RECORDED):
            return
        event = codec.decode(recorded.type, recorded.data)
        if isinstance(event, CampaignOpened):
            await conn.execute(
                insert(campaigns_view).values(
                    campaign_id=event.campaign_id,
                    district=event.district,
                    name=event.name,
                    daily_target=event.daily_target,
                    weekly_target=event.weekly_target,
                    monthly_target=event.monthly_target,
                    starts_on=event.starts_on,
                    opened_at=recorded.position,
                    total=0,
                    duplicates=0,
                )
            )
            return
        assert isinstance(event, SignUpsRecorded)
        campaign_id = recorded.stream_id.removeprefix(_PREFIX)
        c = campaigns_view.c
        await conn.execute(
            update(campaigns_view)
            .where(c.campaign_id == campaign_id)
            .values(
                total=c.total + len(event.member_ids), duplicates=c.duplicates + event.duplicates
            )
        )
        if event.member_ids:
            await conn.execute(
                insert(campaign_signups_view),
                [
                    {
                        "campaign_id": campaign_id,
                        "member_id": member_id,
                        "signed_up_on": event.on,
                        "position": recorded.position,
                        "seq": n,
                    }
                    for n, member_id in enumerate(event.member_ids)
                ],
            )


def _row(row: Any) -> dict[str, Any]:
    out = dict(row._mapping)
    out.pop("opened_at", None)
    out["starts_on"] = out["starts_on"].isoformat()
    return out


async def campaigns_of(
    engine: AsyncEngine, org: str, page: int, size: int
) -> tuple[int, list[dict[str, Any]]]:
    """The campaigns of a district (or of every district of a city), newest first."""
    c = campaigns_view.c
    where = or_(c.district == org, c.district.startswith(org + "/", autoescape=True))
    query = (
        select(campaigns_view)
        .where(where)
        .order_by(c.opened_at.desc())
        .limit(size)
        .offset((page - 1) * size)
    )
    async with engine.connect() as conn:
        total = await conn.scalar(select(func.count()).select_from(campaigns_view).where(where))
        rows = [_row(r) for r in await conn.execute(query)]
    return int(total or 0), rows


async def signups_of(
    engine: AsyncEngine, campaign_id: str, page: int, size: int
) -> tuple[int, list[tuple[str, str]]]:
    """How many signed up through the campaign, and one page of them (member id, day), the
    latest first."""
    s = campaign_signups_view.c
    where = s.campaign_id == campaign_id
    query = (
        select(s.member_id, s.signed_up_on)
        .where(where)
        .order_by(s.position.desc(), s.seq.desc())
        .limit(size)
        .offset((page - 1) * size)
    )
    async with engine.connect() as conn:
        total = await conn.scalar(
            select(func.count()).select_from(campaign_signups_view).where(where)
        )
        rows = [(r[0], r[1].isoformat()) for r in await conn.execute(query)]
    return int(total or 0), rows
