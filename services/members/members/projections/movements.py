"""Members joining, leaving and moving between districts, by day, for `GET /reports/districts`.

Its own table (a new projection starts from the log's beginning, so it fills itself on an
existing database): one row per event that changes a district's membership, +1 or -1. The
members active in a district on a day are the sum of its rows up to that day; those who
joined or left in a period, its rows of that kind in the period. The report reads those rows
counted per day (`member_movements_daily`), and the enrolments per plan year counted per day
(`member_enrolments_daily`, from the enrolment events: `enrolments_view`'s rows)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Column, Date, Integer, String, Table, case, func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from union_events.db import insert_for
from union_events.events import RecordedEvent
from union_events.orgs import within

from .views import views

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


# What the district report reads (`district_movements`): the rows above counted per day,
# district and kind, and the enrolments per day, insuring district and plan year, kept by the
# same projection in the same transaction; so the report reads about days × districts × kinds
# rows (a few thousand a year) whatever the number of members.
movements_daily = Table(
    "member_movements_daily",
    views,
    Column("on", Date, primary_key=True),
    Column("district", String(200), primary_key=True),
    Column("kind", String(16), primary_key=True),
    Column("movements", Integer, nullable=False),  # rows of member_movements_view
    Column("delta", Integer, nullable=False),  # their deltas' sum
)
enrolments_daily = Table(
    "member_enrolments_daily",
    views,
    Column("enrolled_on", Date, primary_key=True),
    Column("insuring_district", String(200), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("enrolments", Integer, nullable=False),
)
_ENROLLED = "union.members.member.enrolled.v1"


class MovementsView:
    name = "member-movements-view"
    tables: Sequence[Table] = (
        member_movements,
        districts_of_members,
        movements_daily,
        enrolments_daily,
    )
    event_types = (_PREFIX,)  # members' events, the only ones read from the log

    async def apply_batch(self, conn: AsyncConnection, batch: Sequence[RecordedEvent]) -> None:
        rows: list[dict[str, Any]] = []
        now: dict[str, str | None] = {}  # member -> district while a member, None once not

        async def district_of(member_id: str) -> str | None:
            if member_id in now:
                return now[member_id]
            table = districts_of_members
            query = select(table.c.district).where(table.c.member_id == member_id)
            return await conn.scalar(query)

        enrolled: dict[tuple[Any, ...], int] = {}
        for e in batch:
            if e.type == _ENROLLED:
                key = (
                    date.fromisoformat(e.data["on"]),
                    e.data["insuring_district"],
                    e.data["year"],
                )
                enrolled[key] = enrolled.get(key, 0) + 1
                continue
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
            daily: dict[tuple[Any, ...], list[int]] = {}
            for r in rows:
                counts = daily.setdefault((r["on"], r["district"], r["kind"]), [0, 0])
                counts[0] += 1
                counts[1] += r["delta"]
            values = [{"on": k[0], "district": k[1], "kind": k[2], "movements": n, "delta": delta}
                      for k, (n, delta) in daily.items()]  # fmt: skip
            await conn.execute(_adding(conn, movements_daily, ("movements", "delta")), values)
        if enrolled:
            values = [{"enrolled_on": k[0], "insuring_district": k[1], "year": k[2],
                       "enrolments": n} for k, n in enrolled.items()]  # fmt: skip
            await conn.execute(_adding(conn, enrolments_daily, ("enrolments",)), values)
        if now:
            table = districts_of_members
            await conn.execute(table.delete().where(table.c.member_id.in_(list(now))))
            members = [{"member_id": m, "district": d} for m, d in now.items() if d is not None]
            if members:
                await conn.execute(insert(table), members)

    async def apply(self, conn: AsyncConnection, recorded: RecordedEvent) -> None:
        await self.apply_batch(conn, [recorded])


def _adding(conn: AsyncConnection, table: Table, added: tuple[str, ...]) -> Any:
    """INSERT ... ON CONFLICT (the day's key) DO UPDATE adding the columns `added`."""
    dialect = conn.dialect.name
    statement = insert_for(dialect)(table)
    return statement.on_conflict_do_update(
        index_elements=list(table.primary_key.columns),
        set_={c: table.c[c] + statement.excluded[c] for c in added},
    )


async def district_movements(
    engine: AsyncEngine, start: date, end: date, scope: str
) -> list[dict[str, Any]]:
    """Per district within `scope`: members active at the end of the period, joined (and
    rejoined) and left in it, moved in and out, and enrolments per plan year in it."""
    m = movements_daily.c  # the day totals: the same figures as member_movements_view's rows
    in_period = (m.on >= start) & (m.on <= end)

    def counted(*kinds: str) -> Any:
        return func.sum(case((in_period & m.kind.in_(kinds), m.movements), else_=0))

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
    e = enrolments_daily.c
    enrolled = (
        select(e.insuring_district, e.year, func.sum(e.enrolments))
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
