"""How the members domain maps onto the event store: streams and aggregates."""

from __future__ import annotations

from typing import Any

from union_events.commands import Aggregate

from ..domain import codec
from ..domain import plan_years as plan_year_events
from ..domain.campaign import Campaign, evolve_campaign
from ..domain.identity import Identity, evolve_identity
from ..domain.member import Member, evolve_member
from ..domain.orgs import Org, evolve_org
from ..domain.plan_years import PlanYear, evolve_plan_year
from ..domain.plan_years import plan_year_stream as plan_year_stream


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
identities: Aggregate[Identity, Any] = Aggregate(
    Identity, evolve_identity, codec.encode, codec.decode
)
plan_years: Aggregate[PlanYear | None, Any] = Aggregate(
    lambda: None, evolve_plan_year, plan_year_events.encode, plan_year_events.decode
)
