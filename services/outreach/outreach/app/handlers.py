"""Command handlers of the outreach service: load, decide (domain), append.

Points, sessions and intakes are one stream each, run through `commands.execute` (re-decided
on a concurrent change). Hand-outs are in `handouts.py`.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from union_events.commands import execute, load
from union_events.events import EventContext
from union_events.ids import canonical_member_id
from union_events.orgs import validate_org_path
from union_events.store import EventStore

from ..domain import intake, points, sessions
from ..domain.intake import Intake, Requester
from ..domain.points import Point
from ..domain.sessions import Session, counted_as
from .aggregates import intake_stream, intakes, point_stream, session_stream
from .aggregates import points as point_aggregate
from .aggregates import sessions as session_aggregate
from .members import known_member


@dataclass
class Outreach:
    store: EventStore


async def register_point(
    o: Outreach,
    *,
    point: str,
    name: str,
    kind: str,
    amenities: Sequence[str],
    hours: Mapping[str, str],
    today: date,
    ctx: EventContext,
) -> Point:
    point = validate_org_path(point, depth=3, what="service point")
    outcome = await execute(
        o.store,
        point_aggregate,
        point_stream(point),
        lambda s: points.decide_register(
            s, point=point, name=name, kind=kind, amenities=amenities, hours=hours, today=today
        ),
        context=ctx,
    )
    return outcome.state


async def set_point_open(
    o: Outreach, point: str, is_open: bool, reason: str, today: date, ctx: EventContext
) -> Point:
    def decide(s: Point) -> list[points.PointEvent]:
        if is_open:
            return points.decide_open(s, today)
        return points.decide_close(s, reason, today)

    outcome = await execute(o.store, point_aggregate, point_stream(point), decide, context=ctx)
    return outcome.state


async def schedule_session(
    o: Outreach, *, point: str, on: date, services: Sequence[str], ctx: EventContext
) -> Session:
    at, _ = await load(o.store, point_aggregate, point_stream(point))
    if not at.exists:
        at = Point(point=point)
    session_id = str(uuid.uuid4())
    outcome = await execute(
        o.store,
        session_aggregate,
        session_stream(session_id),
        lambda s: sessions.decide_schedule(
            s, session_id=session_id, point=at, on=on, services=services
        ),
        context=ctx,
    )
    return outcome.state


async def hold_session(
    o: Outreach, session_id: str, staff: int, today: date, ctx: EventContext
) -> Session:
    outcome = await execute(
        o.store,
        session_aggregate,
        session_stream(session_id),
        lambda s: sessions.decide_hold(s, staff=staff, today=today),
        context=ctx,
    )
    return outcome.state


async def cancel_session(
    o: Outreach, session_id: str, reason: str, today: date, ctx: EventContext
) -> Session:
    outcome = await execute(
        o.store,
        session_aggregate,
        session_stream(session_id),
        lambda s: sessions.decide_cancel(s, reason=reason, today=today),
        context=ctx,
    )
    return outcome.state


@dataclass(frozen=True)
class CheckedIn:
    session: Session
    counted_as: str  # member | anonymous


async def check_in(
    o: Outreach,
    session_id: str,
    *,
    card_no: str | None,
    member_id: str | None,
    anonymous: int,
    ctx: EventContext,
) -> CheckedIn:
    member = None
    if member_id is not None:
        member_id = canonical_member_id(member_id)
        member = await known_member(o.store, member_id)
    outcome = await execute(
        o.store,
        session_aggregate,
        session_stream(session_id),
        lambda s: sessions.decide_check_in(
            s, card_no=card_no, member=member, member_id=member_id, anonymous=anonymous
        ),
        context=ctx,
    )
    return CheckedIn(outcome.state, counted_as(list(outcome.events)))


async def record_intake(
    o: Outreach,
    *,
    kind: str,
    channel: str,
    session_id: str | None,
    place: str | None,
    district: str | None,
    requester: Requester,
    summary: str,
    today: date,
    ctx: EventContext,
) -> Intake:
    session = None
    if session_id is not None:
        session, _ = await load(o.store, session_aggregate, session_stream(session_id))
    if requester.member_id is not None:
        member_id = canonical_member_id(requester.member_id)
        member = await known_member(o.store, member_id)
        requester = Requester(member_id, requester.card_no, member)
    intake_id = str(uuid.uuid4())
    outcome = await execute(
        o.store,
        intakes,
        intake_stream(intake_id),
        lambda s: intake.decide_record(
            s,
            intake_id=intake_id,
            kind=kind,
            channel=channel,
            session=session,
            place=place,
            district=district,
            requester=requester,
            summary=summary,
            today=today,
        ),
        context=ctx,
    )
    return outcome.state


async def close_intake(
    o: Outreach,
    intake_id: str,
    outcome_name: str,
    amount: Decimal | None,
    today: date,
    ctx: EventContext,
) -> Intake:
    outcome = await execute(
        o.store,
        intakes,
        intake_stream(intake_id),
        lambda s: intake.decide_close(s, outcome=outcome_name, amount=amount, today=today),
        context=ctx,
    )
    return outcome.state
