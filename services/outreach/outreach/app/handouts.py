"""Benefit campaigns: opening one, and handing out items at any service point.

A hand-out is for a member outreach heard of from members' events, by the canonical member id
(a lower-case UUID, however the clerk typed it). It appends the item to the campaign's stream at
the version read (the stock) and a marker to `campaign-<id>-member-<member_id>` at version 0
(one a member), in ONE batch (`union_events.commands.run`): all or nothing. On a conflict the
hand-out is decided again on the fresh state, so concurrent hand-outs of the last items never
pass the stock and never give one member two.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from union_events.commands import Work, fold, run
from union_events.errors import Conflict
from union_events.events import EventContext, RecordedEvent
from union_events.ids import canonical_member_id

from ..domain import campaigns as domain
from ..domain import codec
from ..domain.campaigns import Campaign, Recipient
from ..domain.events import MemberServed
from ..domain.points import Point
from .aggregates import (
    campaign_member_stream,
    campaign_stream,
    campaigns,
    member_stream,
    members,
    point_stream,
    points,
)
from .handlers import Outreach


async def open_campaign(
    o: Outreach,
    *,
    campaign_id: str,
    name: str,
    kind: str,
    stock: int,
    categories: Sequence[str],
    districts: Sequence[str],
    starts_on: date,
    ends_on: date,
    city: str,
    ctx: EventContext,
) -> Campaign:
    async def command(work: Work) -> Campaign:
        # Read (so appended at version 0): a campaign opened meanwhile is decided again, and
        # refused as existing.
        state = await work.load(campaigns, campaign_stream(campaign_id))
        events = domain.decide_open(
            state,
            campaign_id=campaign_id,
            name=name,
            kind=kind,
            stock=stock,
            categories=categories,
            districts=districts,
            starts_on=starts_on,
            ends_on=ends_on,
            city=city,
        )
        work.emit(campaigns, campaign_stream(campaign_id), events)
        for event in events:
            state = domain.evolve_campaign(state, event)
        return state

    return await run(o.store, command, context=ctx)


async def hand_out(
    o: Outreach, campaign_id: str, recipient: Recipient, point: str, today: date, ctx: EventContext
) -> tuple[Campaign, str]:
    """The campaign after the hand-out, and the member id it went to (canonical)."""
    recipient = replace(recipient, member_id=canonical_member_id(recipient.member_id))
    stream = campaign_stream(campaign_id)
    marker = campaign_member_stream(campaign_id, recipient.member_id)

    async def command(work: Work) -> tuple[Campaign, str]:
        found = await work.read(
            stream, marker, member_stream(recipient.member_id), point_stream(point)
        )
        state = fold(campaigns, found[stream])
        member = fold(members, found[member_stream(recipient.member_id)])
        at = fold(points, found[point_stream(point)])
        try:
            handed, served = domain.decide_hand_out(
                state, recipient=recipient, member=member, point=_named(at, point), today=today
            )
        except Conflict as refused:
            if refused.code == "already_received":
                raise await _had_one(work, found[marker]) from refused
            raise
        if found[marker]:  # city-wide, at another point, maybe this very moment
            raise await _had_one(work, found[marker])
        work.emit(campaigns, stream, [handed])
        work.append(marker, [codec.encode(served)])  # at version 0 (read empty): one a member
        return domain.evolve_campaign(state, handed), handed.member_id

    return await run(o.store, command, context=ctx)


async def _had_one(work: Work, first: Sequence[RecordedEvent]) -> Conflict:
    """The refusal of a second item, saying where and when the member had the first."""
    served = codec.decode(first[0].type, first[0].data) if first else None
    if not isinstance(served, MemberServed):
        return Conflict("the member has had an item of this campaign", code="already_received")
    at = await work.load(points, point_stream(served.point))
    return Conflict(
        f"the member had an item of this campaign at {served.point} on {served.on.isoformat()}",
        code="already_received",
        point=served.point,
        point_name=at.name or served.point,
        on=served.on.isoformat(),
    )


def _named(at: Point, point: str) -> Point:
    return at if at.exists else Point(point=point)
