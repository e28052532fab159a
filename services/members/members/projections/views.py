"""Read models of the members log: members, orgs, enrolments. Rebuildable from the log.

Personal data stays sealed here too: the view keeps the sealed text, opened per request with
the member's key, and drops it on erasure.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    insert,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection
from union_events.events import RecordedEvent

from ..domain import codec
from ..domain.events import (
    MemberEnrolled,
    MemberLeft,
    MemberRegistered,
    MemberRejoined,
    MemberTransferred,
    OrgRegistered,
    PersonalDataErased,
)

views = MetaData()

members_view = Table(
    "members_view",
    views,
    Column("member_id", String(64), primary_key=True),
    Column("card_no", String(32), nullable=False, unique=True),
    Column("unit", String(200), nullable=False, index=True),
    Column("district", String(200), nullable=False, index=True),
    Column("status", String(16), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("joined_on", Date, nullable=False),
    Column("sealed", Text, nullable=True),
    Column("erased", Boolean, nullable=False, default=False),
)

orgs_view = Table(
    "orgs_view",
    views,
    Column("path", String(200), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("level", String(20), nullable=False, index=True),
    Column("parent", String(200), nullable=True, index=True),
)

enrolments_view = Table(
    "enrolments_view",
    views,
    Column("member_id", String(64), primary_key=True),
    Column("plan_id", String(64), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("insuring_district", String(200), nullable=False),
    Column("enrolled_on", Date, nullable=False),
)


_REGISTERED = "union.members.member.registered.v1"
_ENROLLED = "union.members.member.enrolled.v1"
_SHOWN_PREFIXES = ("union.members.member.", "union.members.org.")


class MembersView:
    """One projection for the three tables: they change together."""

    name = "members-view"
    tables: Sequence[Table] = (members_view, orgs_view, enrolments_view)
    event_types = _SHOWN_PREFIXES  # members' and orgs' events, the only ones read

    async def apply_batch(self, conn: AsyncConnection, batch: Sequence[RecordedEvent]) -> None:
        """Registrations and enrolments in a row (a bulk sign-up, a year's enrolments) go in as
        one multi-row insert each (neither changes a row the other writes)."""
        registrations: list[dict[str, object]] = []
        enrolments: list[dict[str, object]] = []

        async def flush() -> None:
            if registrations:
                await conn.execute(insert(members_view), registrations)
                registrations.clear()
            if enrolments:
                await conn.execute(insert(enrolments_view), enrolments)
                enrolments.clear()

        for recorded in batch:
            if not recorded.type.startswith(_SHOWN_PREFIXES):
                continue  # identity, card and campaign events: not in these views
            if recorded.type == _REGISTERED:
                registrations.append(_registration_row(recorded))
                continue
            if recorded.type == _ENROLLED:
                enrolments.append(_enrolment_row(recorded))
                continue
            await flush()
            await self.apply(conn, recorded)
        await flush()

    async def apply(self, conn: AsyncConnection, recorded: RecordedEvent) -> None:
        if not recorded.type.startswith(_SHOWN_PREFIXES):
            return
        event = codec.decode(recorded.type, recorded.data)
        member_id = recorded.stream_id.removeprefix("member-")
        match event:
            case OrgRegistered():
                await conn.execute(
                    insert(orgs_view).values(
                        path=event.path, name=event.name, level=event.level, parent=event.parent
                    )
                )
            case MemberRegistered():
                await conn.execute(insert(members_view), [_registration_row(recorded)])
            case MemberTransferred():
                await _update(conn, member_id, unit=event.to_unit, district=event.to_district)
            case MemberLeft():
                await _update(conn, member_id, status="left")
            case MemberRejoined():
                await _update(
                    conn, member_id, status="active", unit=event.unit, district=event.district
                )
            case MemberEnrolled():
                await conn.execute(insert(enrolments_view), [_enrolment_row(recorded)])
            case PersonalDataErased():
                await _update(conn, member_id, sealed=None, erased=True, status="erased")


def _registration_row(recorded: RecordedEvent) -> dict[str, object]:
    event = codec.decode(recorded.type, recorded.data)
    assert isinstance(event, MemberRegistered)
    return {
        "member_id": event.member_id, "card_no": event.card_no, "unit": event.unit,
        "district": event.district, "status": "active", "channel": event.channel,
        "joined_on": event.joined_on, "sealed": event.sealed, "erased": False,
    }  # fmt: skip


def _enrolment_row(recorded: RecordedEvent) -> dict[str, object]:
    event = codec.decode(recorded.type, recorded.data)
    assert isinstance(event, MemberEnrolled)
    return {
        "member_id": recorded.stream_id.removeprefix("member-"), "plan_id": event.plan_id,
        "year": event.year, "insuring_district": event.insuring_district,
        "enrolled_on": event.on,
    }  # fmt: skip


async def _update(conn: AsyncConnection, member_id: str, **values: object) -> None:
    await conn.execute(
        update(members_view).where(members_view.c.member_id == member_id).values(**values)
    )
