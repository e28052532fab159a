"""The facts claims keeps beside its claims, as domain events and the states they fold into.

Each lives in a stream of its own (named in `app/facts.py`):
- a plan year's rules (`PlanRules` itself is the `rules_set` event), replaced by a newer set;
- a member: noted when members registered them, their enrolments heard from members, and the
  claims waiting for one;
- an invoice: claimed by a claim, released when a resubmission drops it; held by at most one
  claim at a time, city-wide;
- a member's usage of a plan year's annual cap: `usage.Reserved` / `usage.Released`;
- the registries: an org members registered, a hospital of the city's registry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from union_events.event_codec import EventCodec

from .registry import Hospital, Org
from .rules import PlanRules
from .usage import Released, Reserved, UsageEntry


@dataclass(frozen=True)
class MemberNoted:
    member_id: str


@dataclass(frozen=True)
class EnrolmentNoted:
    plan_id: str
    year: int
    insuring_district: str


@dataclass(frozen=True)
class ClaimWaiting:
    claim_id: str


@dataclass(frozen=True)
class InvoiceClaimed:
    claim_id: str


@dataclass(frozen=True)
class InvoiceReleased:
    claim_id: str


@dataclass(frozen=True)
class OrgNoted:
    path: str
    name: str
    level: str
    parent: str | None = None


FACT_TYPES: dict[type[Any], str] = {
    PlanRules: "union.claims.plan.rules_set.v1",
    MemberNoted: "union.claims.member.noted.v1",
    EnrolmentNoted: "union.claims.member.enrolment_noted.v1",
    ClaimWaiting: "union.claims.member.claim_waiting.v1",
    InvoiceClaimed: "union.claims.invoice.claimed.v1",
    InvoiceReleased: "union.claims.invoice.released.v1",
    Reserved: "union.claims.usage.reserved.v1",
    Released: "union.claims.usage.released.v1",
    OrgNoted: "union.claims.org.noted.v1",
    Hospital: "union.claims.hospital.set.v1",
}
_CODEC = EventCodec("claims", FACT_TYPES)


def encode(fact: object) -> tuple[str, dict[str, Any]]:
    return _CODEC.encode(fact)


def decode(event_type: str, data: Mapping[str, Any]) -> Any:
    return _CODEC.decode(event_type, data)


@dataclass(frozen=True)
class MemberFacts:
    """What claims knows of a member: noted at all, enrolments heard (first heard wins), and
    the claims waiting for an enrolment."""

    known: bool = False
    enrolments: Mapping[tuple[str, int], str] = field(default_factory=dict)
    waiting: tuple[str, ...] = ()

    def district(self, plan_id: str, year: int) -> str | None:
        return self.enrolments.get((plan_id, year))


def evolve_member(state: MemberFacts, fact: object) -> MemberFacts:
    state = replace(state, known=True)
    if isinstance(fact, EnrolmentNoted):
        key = (fact.plan_id, fact.year)
        if key not in state.enrolments:
            return replace(state, enrolments={**state.enrolments, key: fact.insuring_district})
    if isinstance(fact, ClaimWaiting):
        return replace(state, waiting=(*state.waiting, fact.claim_id))
    return state


def evolve_invoice(holder: str | None, fact: object) -> str | None:
    """The claim holding the invoice now, or None (never claimed, or released)."""
    return fact.claim_id if isinstance(fact, InvoiceClaimed) else None


def evolve_usage(entries: tuple[UsageEntry, ...], fact: UsageEntry) -> tuple[UsageEntry, ...]:
    return (*entries, fact)


def evolve_latest(_current: Any, fact: Any) -> Any:
    """Rules, an org, a hospital: the latest set is what holds."""
    if isinstance(fact, OrgNoted):
        return Org(fact.path, fact.name, fact.level)
    return fact
