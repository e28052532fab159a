"""Benefit campaigns: opening one, and handing out items at any service point.

A hand-out is for a member outreach heard of from members' events, by the canonical member id
(a lower-case UUID, however the clerk typed it). It appends the item to the campaign's stream at
the version read (the stock) and a marker to `campaign-<id>-member-<member_id>` at version 0
(one a member), in ONE `append_batch`:
all or nothing. On a conflict the hand-out is decided again on the fresh state, so concurrent
hand-outs of the last items never pass the stock and never give one member two.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from union_events.appending import AppendRequest
from union_events.commands import load
from union_events.errors import ConcurrencyError, Conflict
from union_events.events import EventContext, NewEvent
from union_events.ids import canonical_member_id

from ..domain import campaigns as domain
from ..domain import codec
from ..domain.campaigns import Campaign, Recipient
from ..domain.events import MemberServed
from ..domain.points import Point
from .aggregates import campaign_member_stream, campaign_stream, campaigns, point_stream, points
from .handlers import Outreach
from .members import known_member

RETRIES = 200  # 30 clerks on the last items: each conflict means someone else got one


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
    state, _ = await load(o.store, campaigns, campaign_stream(campaign_id))
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
    try:
        await o.store.append(campaign_stream(campaign_id), 0, [_stored(e, ctx) for e in events])
    except ConcurrencyError as exc:
        raise Conflict(f"campaign {campaign_id} exists already", code="campaign_exists") from exc
    for event in events:
        state = domain.evolve_campaign(state, event)
    return state


async def hand_out(
    o: Outreach, campaign_id: str, recipient: Recipient, point: str, today: date, ctx: EventContext
) -> tuple[Campaign, str]:
    """The campaign after the hand-out, and the member id it went to (canonical)."""
    recipient = replace(recipient, member_id=canonical_member_id(recipient.member_id))
    member = await known_member(o.store, recipient.member_id)
    at, _ = await load(o.store, points, point_stream(point))
    marker = campaign_member_stream(campaign_id, recipient.member_id)
    for _attempt in range(RETRIES):
        state, version = await load(o.store, campaigns, campaign_stream(campaign_id))
        try:
            handed, served = domain.decide_hand_out(
                state, recipient=recipient, member=member, point=_named(at, point), today=today
            )
        except Conflict as refused:
            if refused.code == "already_received":
                raise await _had_one(o, marker) from refused
            raise
        requests = [
            AppendRequest(campaign_stream(campaign_id), version, (_stored(handed, ctx),)),
            AppendRequest(marker, 0, (_stored(served, ctx),)),
        ]
        try:
            await o.store.append_batch(requests)
        except ConcurrencyError as exc:
            if exc.stream_id == marker:  # city-wide, at another point, maybe this very moment
                raise await _had_one(o, marker) from exc
            continue
        return domain.evolve_campaign(state, handed), handed.member_id
    raise Conflict("the campaign kept changing; try again", code="concurrent_change")


async def _had_one(o: Outreach, marker: str) -> Conflict:
    """The refusal of a second item, saying where and when the member had the first."""
    first = await o.store.read_stream(marker)
    served = codec.decode(first[0].type, first[0].data) if first else None
    if not isinstance(served, MemberServed):
        return Conflict("the member has had an item of this campaign", code="already_received")
    at, _ = await load(o.store, points, point_stream(served.point))
    return Conflict(
        f"the member had an item of this campaign at {served.point} on {served.on.isoformat()}",
        code="already_received",
        point=served.point,
        point_name=at.name or served.point,
        on=served.on.isoformat(),
    )


def _named(at: Point, point: str) -> Point:
    return at if at.exists else Point(point=point)


def _stored(event: object, ctx: EventContext) -> NewEvent:
    event_type, data = codec.encode(event)
    return NewEvent(event_type, data, context=ctx)
