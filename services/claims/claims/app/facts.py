"""Where the facts claims keeps beside its claims live (`domain.facts`), one stream each:

- `plan-<plan_id>-<year>`: the plan year's rules (`rules_set`), replaced by a newer set;
- `member-<member_id>`: the member noted, enrolments heard from members (`enrolment_noted`),
  and the claims waiting for one (`claim_waiting`);
- `invoice-<key>`: an invoice claimed by a claim (`claimed`), and released (`released`) when a
  resubmission drops it; held by at most one claim at a time, city-wide (appended at the
  version read);
- `usage-<member_id>-<plan_id>-<year>`: benefits reserved and released against the annual cap
  (appended at the version read: concurrent assessments never exceed the cap, and a claim's
  reservation is released at most once; the fold is `domain.usage`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from union_events.commands import Work, fold
from union_events.events import RecordedEvent

from ..domain import facts as domain
from ..domain import usage as usage_fold
from ..domain.rules import PlanRules
from .aggregates import invoices as invoices
from .aggregates import member_stream as member_stream
from .aggregates import members as members
from .aggregates import plan_stream as plan_stream
from .aggregates import plans as plans
from .aggregates import usage as usage
from .aggregates import usage_stream as usage_stream

RULES_SET = domain.EVENT_TYPES[PlanRules]
ENROLMENT_NOTED = domain.EVENT_TYPES[domain.EnrolmentNoted]
MEMBER_NOTED = domain.EVENT_TYPES[domain.MemberNoted]
CLAIM_WAITING = domain.EVENT_TYPES[domain.ClaimWaiting]
INVOICE_CLAIMED = domain.EVENT_TYPES[domain.InvoiceClaimed]
INVOICE_RELEASED = domain.EVENT_TYPES[domain.InvoiceReleased]
BENEFIT_RESERVED = domain.EVENT_TYPES[usage_fold.Reserved]
BENEFIT_RELEASED = domain.EVENT_TYPES[usage_fold.Released]


def note(work: Work, stream_id: str, fact: object) -> None:
    """Append a fact to its stream (at the version read, when the decision read it)."""
    work.append(stream_id, [domain.encode(fact)])


def rules_to_data(rules: PlanRules) -> dict[str, Any]:
    """The data of a `rules_set` event (the codec's, as every fact)."""
    return domain.encode(rules)[1]


def used(recorded: Iterable[RecordedEvent]) -> Decimal:
    """What a usage stream says the member has used of the annual cap (never negative)."""
    return usage_fold.used(fold(usage, recorded))


@dataclass
class MemberYear:
    """What claims of one member and plan year are decided on: the plan year's rules, the
    enrolments heard, the claims waiting, the usage, and who holds each invoice named."""

    rules: PlanRules | None
    member: domain.MemberFacts
    usage: tuple[usage_fold.UsageEntry, ...]
    invoices: dict[str, str | None] = field(default_factory=dict)  # stream id -> holder
    heard_now: dict[tuple[str, int], str] = field(default_factory=dict)

    def district(self, plan_id: str, year: int) -> str | None:
        return self.member.district(plan_id, year) or self.heard_now.get((plan_id, year))

    def heard(self, plan_id: str, year: int, district: str) -> None:
        """An enrolment heard in the transaction under way, not committed yet."""
        self.heard_now.setdefault((plan_id, year), district)

    @property
    def used(self) -> Decimal:
        return usage_fold.used(self.usage)


async def member_year(
    work: Work,
    member_id: str,
    plan_id: str,
    year: int,
    invoice_streams: Iterable[str] = (),
    also: Iterable[str] = (),
) -> MemberYear:
    """What a claim of this member and plan year is decided on, in one read (with `also`,
    streams the caller reads next), with who holds each invoice stream named."""
    member, plan = member_stream(member_id), plan_stream(plan_id, year)
    usage_id = usage_stream(member_id, plan_id, year)
    named = list(invoice_streams)
    await work.read(member, usage_id, plan, *named, *also)
    return MemberYear(
        rules=await work.load(plans, plan),
        member=await work.load(members, member),
        usage=await work.load(usage, usage_id),
        invoices={stream: await work.load(invoices, stream) for stream in named},
    )
