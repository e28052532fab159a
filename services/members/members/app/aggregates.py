"""How the members domain maps onto the event store: streams and aggregates."""

from __future__ import annotations

from typing import Any

from union_events.commands import Aggregate

from ..domain import codec
from ..domain.campaign import Campaign, evolve_campaign
from ..domain.member import Member, evolve_member
from ..domain.orgs import Org, evolve_org


def member_stream(member_id: str) -> str:
    return f"member-{member_id}"


def org_stream(path: str) -> str:
    return f"org-{path}"


def identity_stream(identity_hash: str) -> str:
    return f"identity-{identity_hash}"


def card_stream(card_no: str) -> str:
    return f"card-{card_no}"


def campaign_stream(campaign_id: str) -> str:
    return f"campaign-{campaign_id}"


members: Aggregate[Member, Any] = Aggregate(Member, evolve_member, codec.encode, codec.decode)
orgs: Aggregate[Org | None, Any] = Aggregate(lambda: None, evolve_org, codec.encode, codec.decode)
campaigns: Aggregate[Campaign | None, Any] = Aggregate(
    lambda: None, evolve_campaign, codec.encode, codec.decode
)
