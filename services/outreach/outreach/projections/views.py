"""Read models of the outreach log: points, sessions, hand-outs (here); intakes and campaigns
(`lists.py`: projections of their own, so that they were built from the log's start). Rebuildable.

No card numbers or summaries here: the views hold what lists and reports need.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    insert,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection
from union_events.events import RecordedEvent

views = MetaData()

points_view = Table(
    "points_view",
    views,
    Column("point", String(200), primary_key=True),
    Column("district", String(200), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("amenities", String(200), nullable=False),  # comma-separated
    Column("hours", String(300), nullable=False),  # "mon 08:00-18:00; tue ..."
    Column("open", Boolean, nullable=False),
    Column("registered_on", Date, nullable=False),
)
sessions_view = Table(
    "sessions_view",
    views,
    Column("session_id", String(64), primary_key=True),
    Column("point", String(200), nullable=False, index=True),
    Column("district", String(200), nullable=False, index=True),
    Column("on", Date, nullable=False, index=True),
    Column("status", String(16), nullable=False),
    Column("services", String(300), nullable=False),
    Column("staff", Integer, nullable=False),
    Column("members", Integer, nullable=False),
    Column("anonymous", Integer, nullable=False),
)
handouts_view = Table(
    "handouts_view",
    views,
    Column("campaign_id", String(64), primary_key=True),
    Column("member_id", String(64), primary_key=True),
    Column("point", String(200), nullable=False),
    Column("district", String(200), nullable=False, index=True),
    Column("on", Date, nullable=False, index=True),
)
_P = "union.outreach."
# Check-in entries: (members, anonymous) each adds to its session's counts.
_CHECK_INS = {
    "session.member_checked_in": (1, 0),  # by card, as decided before member ids
    "session.known_member_checked_in": (1, 0),
    "session.card_checked_in": (0, 1),
}


class OutreachView:
    name = "outreach-view"
    tables: Sequence[Table] = (points_view, sessions_view, handouts_view)

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        t, d = event.type.removeprefix(_P).rsplit(".", 1)[0], event.data
        if t == "point.registered":
            row = {k: d[k] for k in ("point", "district", "name", "kind")}
            await conn.execute(
                insert(points_view).values(
                    **row,
                    amenities=",".join(d["amenities"]),
                    hours="; ".join(d["hours"]),
                    open=True,
                    registered_on=_day(d["on"]),
                )
            )
        elif t in ("point.opened", "point.closed"):
            where = points_view.c.point == d["point"]
            await conn.execute(update(points_view).where(where).values(open=t == "point.opened"))
        elif t == "session.scheduled":
            await conn.execute(
                insert(sessions_view).values(
                    session_id=d["session_id"],
                    point=d["point"],
                    district=d["district"],
                    on=_day(d["on"]),
                    status="scheduled",
                    services=",".join(d["services"]),
                    staff=0,
                    members=0,
                    anonymous=0,
                )
            )
        elif t == "session.held":
            await _session(conn, d, status="held", staff=d["staff"])
        elif t == "session.cancelled":
            await _session(conn, d, status="cancelled")
        elif t in _CHECK_INS:
            members, anonymous = _CHECK_INS[t]
            c = sessions_view.c
            await _session(conn, d, members=c.members + members, anonymous=c.anonymous + anonymous)
        elif t == "session.anonymous_checked_in":
            await _session(conn, d, anonymous=sessions_view.c.anonymous + d["count"])
        elif t == "campaign.item_handed_out":
            row = {k: d[k] for k in ("campaign_id", "member_id", "point", "district")}
            await conn.execute(insert(handouts_view).values(**row, on=_day(d["on"])))


async def _session(conn: AsyncConnection, d: Any, **values: Any) -> None:
    where = sessions_view.c.session_id == d["session_id"]
    await conn.execute(update(sessions_view).where(where).values(**values))


def _day(text: str) -> date:
    return date.fromisoformat(text)
