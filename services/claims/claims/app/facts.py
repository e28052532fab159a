"""The facts the claims service keeps beside its claims, each in a stream of its own:

- `plan-<plan_id>-<year>`: the plan year's rules (`rules_set`), replaced by a newer set;
- `member-<member_id>`: enrolments heard from members (`enrolment_noted`), and the claims
  waiting for one (`claim_waiting`);
- `invoice-<key>`: an invoice claimed by a claim (`claimed`), and released (`released`) when a
  resubmission drops it; held by at most one claim at a time, city-wide (appended at the
  version read);
- `usage-<member_id>-<plan_id>-<year>`: benefits reserved and released against the annual cap
  (appended at the version read: concurrent assessments never exceed the cap, and a claim's
  reservation is released at most once; the fold is `domain.usage`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ..domain import usage as usage_fold
from ..domain.rules import MajorDisease, PlanRules, PoolingPeriod, Tier

RULES_SET = "union.claims.plan.rules_set.v1"
ENROLMENT_NOTED = "union.claims.member.enrolment_noted.v1"
CLAIM_WAITING = "union.claims.member.claim_waiting.v1"
INVOICE_CLAIMED = "union.claims.invoice.claimed.v1"
INVOICE_RELEASED = "union.claims.invoice.released.v1"
BENEFIT_RESERVED = "union.claims.usage.reserved.v1"
BENEFIT_RELEASED = "union.claims.usage.released.v1"


def plan_stream(plan_id: str, year: int) -> str:
    return f"plan-{plan_id}-{year}"


def member_stream(member_id: str) -> str:
    return f"member-{member_id}"


def usage_stream(member_id: str, plan_id: str, year: int) -> str:
    return f"usage-{member_id}-{plan_id}-{year}"


def rules_to_data(rules: PlanRules) -> dict[str, Any]:
    def text(value: Any) -> Any:
        if isinstance(value, Decimal | date):
            return str(value) if isinstance(value, Decimal) else value.isoformat()
        if isinstance(value, list):
            return [text(v) for v in value]
        if isinstance(value, dict):
            return {k: text(v) for k, v in value.items()}
        return value

    return text(asdict(rules))  # type: ignore[no-any-return]


def rules_from_data(data: Mapping[str, Any]) -> PlanRules:
    def money(value: Any) -> Decimal | None:
        return None if value is None else Decimal(value)

    return PlanRules(
        plan_id=data["plan_id"],
        year=int(data["year"]),
        pooling=tuple(
            PoolingPeriod(p["level"], date.fromisoformat(p["effective_from"]))
            for p in data["pooling"]
        ),
        deductible=Decimal(data["deductible"]),
        tiers=tuple(Tier(money(t["up_to"]), Decimal(t["ratio"])) for t in data["tiers"]),
        per_claim_cap=Decimal(data["per_claim_cap"]),
        annual_cap=Decimal(data["annual_cap"]),
        deadline_days=int(data["deadline_days"]),
        auto_approve_below=Decimal(data["auto_approve_below"]),
        major_diseases=tuple(
            MajorDisease(d["code"], Decimal(d["lump_sum"])) for d in data["major_diseases"]
        ),
        enrolment_closes_on=_day(data.get("enrolment_closes_on")),
        claims_close_on=_day(data.get("claims_close_on")),
        required_documents=tuple(data.get("required_documents") or ()),
    )


def _day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def usage_entries(events: list[Any]) -> list[usage_fold.UsageEntry]:
    """A usage stream's events as the domain's reservations and releases."""
    entries: list[usage_fold.UsageEntry] = []
    for e in events:
        claim_id, amount = e.data["claim_id"], Decimal(e.data["amount"])
        if e.type == BENEFIT_RESERVED:
            entries.append(usage_fold.Reserved(claim_id, amount))
        elif e.type == BENEFIT_RELEASED:
            entries.append(usage_fold.Released(claim_id, amount))
    return entries


def used(events: list[Any]) -> Decimal:
    """What a usage stream says the member has used of the annual cap (never negative)."""
    return usage_fold.used(usage_entries(events))


def invoice_holder(events: list[Any]) -> str | None:
    """The claim an invoice stream says holds the invoice now, or None (never claimed, or
    released by a resubmission that dropped it)."""
    if not events or events[-1].type != INVOICE_CLAIMED:
        return None
    holder: str = events[-1].data["claim_id"]
    return holder


@dataclass
class MemberYear:
    """What claims of one member and plan year are decided on: the plan year's rules, the
    enrolments heard (and the stream's version), the claims waiting, the usage stream."""

    rules: PlanRules | None
    enrolments: dict[tuple[str, int], str]  # (plan_id, year) -> insuring district
    waiting: list[str]
    member_version: int
    usage: list[Any]
    invoices: dict[str, list[Any]] = field(default_factory=dict)  # stream id -> its events

    def district(self, plan_id: str, year: int) -> str | None:
        return self.enrolments.get((plan_id, year))

    def heard(self, plan_id: str, year: int, district: str) -> None:
        """An enrolment heard in the transaction under way, not committed yet."""
        self.enrolments.setdefault((plan_id, year), district)


def member_year(
    member: list[Any],
    usage: list[Any],
    rules: PlanRules | None,
    invoices: dict[str, list[Any]] | None = None,
) -> MemberYear:
    enrolments: dict[tuple[str, int], str] = {}
    for e in member:
        if e.type == ENROLMENT_NOTED:
            enrolments.setdefault((e.data["plan_id"], e.data["year"]), e.data["insuring_district"])
    waiting = [e.data["claim_id"] for e in member if e.type == CLAIM_WAITING]
    return MemberYear(rules, enrolments, waiting, len(member), usage, invoices or {})
