"""Members joining, leaving and moving between districts, by day, for `GET /reports/districts`.

Its own table (a new projection starts from the log's beginning, so it fills itself on an
existing database): one row per event that changes a district's membership, +1 or -1. The
members active in a district on a day are the sum of its rows up to that day; those who
joined or left in a period, its rows of that kind in the period. Enrolments per plan year are
read from `enrolments_view`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Column, Date, Integer, String, Table, case, func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from union_events.events import RecordedEvent
from union_events.orgs import within

from .views import enrolments_view, views

member_movements = Table(
    "member_movements_view",
    views,
    Column("position", Integer, primary_key=True),  # the event's place in the log
    Column("kind", String(16), primary_key=True),  # joined rejoined left erased moved_in moved_out
    Column("member_id", String(64), nullable=False),
    Column("district", String(200), nullable=False, index=True),
    Column("delta", Integer, nullable=False),
    Column("on", Date, nullable=False, index=True),
)
_PREFIX = "union.members.member."
_KINDS = ("registered", "rejoined", "left", "transferred", "personal_data_erased")
districts_of_members = Table(  # the district of each member now (not of those who left)
    "member_movements_districts",
    views,
    Column("member_id", String(64), primary_key=True),
    Column("district", String(200), nullable=False),
)


class MovementsView:
    name = "member-movements-view"
    tables: Sequence[Table] = (member_movements, districts_of_members)

    async def apply_batch(self, conn: AsyncConnection, batch: Sequence[RecordedEvent]) -> None:
        rows: list[dict[str, Any]] = []
        now: dict[str, str | None] = {}  # member -> district while a member, None once not

        async def district_of(member_id: str) -> str | None:
            if member_id in now:
                return now[member_id]
            table = districts_of_members
            query = select(table.c.district).where(table.c.member_id == member_id)
            return await conn.scalar(query)

        for e in batch:
            if not e.type.startswith(_PREFIX):
                continue
            kind = e.type.removeprefix(_PREFIX).rsplit(".", 1)[0]
            if kind not in _KINDS:
                continue
            member_id, d = e.stream_id.removeprefix("member-"), e.data

            def row(district: str, kind: str, delta: int, on: str) -> dict[str, Any]:
                on_day = date.fromisoformat(on)
                return {"position": e.position, "member_id": member_id, "district": district,  # noqa: B023
                        "kind": kind, "delta": delta, "on": on_day}  # fmt: skip

            if kind == "registered":
                rows.append(row(d["district"], "joined", 1, d["joined_on"]))
                now[member_id] = d["district"]
            elif kind == "rejoined":
                rows.append(row(d["district"], "rejoined", 1, d["on"]))
                now[member_id] = d["district"]
            elif kind == "transferred" and d["from_district"] != d["to_district"]:
                rows.append(row(d["from_district"], "moved_out", -1, d["on"]))
                rows.append(row(d["to_district"], "moved_in", 1, d["on"]))
                now[member_id] = d["to_district"]
            elif kind in ("left", "personal_data_erased"):  # erasure ends a membership too
                district = await district_of(member_id)
                if district is not None:
                    rows.append(row(district, "left" if kind == "left" else "erased", -1, d["on"]))
                now[member_id] = None
        if rows:
            await conn.execute(insert(member_movements), rows)
        if now:
            table = districts_of_members
            await conn.execute(table.delete().where(table.c.member_id.in_(list(now))))
            members = [{"member_id": m, "district": d} for m, d in now.items() if d is not None]
            if members:
                await conn.execute(insert(table), members)

    async def apply(self, conn: AsyncConnection, recorded: RecordedEvent) -> None:
        await self.apply_batch(conn, [recorded])


async def district_movements(
    engine: AsyncEngine, start: date, end: date, scope: str
) -> list[dict[str, Any]]:
    """Per district within `scope`: members active at the end of the period, joined (and
    rejoined) and left in it, moved in and out, and enrolments per plan year in it."""
    m = member_movements.c
    in_period = (m.on >= start) & (m.on <= end)

    def counted(*kinds: str) -> Any:
        return func.sum(case((in_period & m.kind.in_(kinds), 1), else_=0))

    query = (
        select(
            m.district,
            func.sum(m.delta),
            counted("joined", "rejoined"),
            counted("left"),
            counted("moved_in"),
            counted("moved_out"),
        )
        .where(m.on <= end)
        .group_by(m.district)
    )
    e = enrolments_view.c
    enrolled = (
        select(e.insuring_district, e.year, func.count())
        .where(e.enrolled_on >= start, e.enrolled_on <= end)
        .group_by(e.insuring_district, e.year)
    )
    figures: dict[str, dict[str, Any]] = {}

    def figure(district: str) -> dict[str, Any]:
        return figures.setdefault(
            district,
            {"district": district, "active": 0, "joined": 0, "left": 0, "moved_in": 0,
             "moved_out": 0, "enrolled": {}},
        )  # fmt: skip

    async with engine.connect() as conn:
        for district, active, joined, left, moved_in, moved_out in await conn.execute(query):
            if within(district, scope):
                figure(district).update(
                    active=int(active or 0), joined=int(joined or 0), left=int(left or 0),
                    moved_in=int(moved_in or 0), moved_out=int(moved_out or 0),
                )  # fmt: skip
        for district, year, n in await conn.execute(enrolled):
            if within(district, scope):
                figure(district)["enrolled"][str(year)] = int(n)
    return [figures[d] for d in sorted(figures)]
