"""The facts the claims service keeps beside its claims, each in a stream of its own:

- `plan-<plan_id>-<year>`: the plan year's rules (`rules_set`), replaced by a newer set;
- `member-<member_id>`: enrolments heard from members (`enrolment_noted`), and the claims
  waiting for one (`claim_waiting`);
- `invoice-<key>`: an invoice claimed (at version 0: once city-wide);
- `usage-<member_id>-<plan_id>-<year>`: benefits reserved and released against the annual cap
  (appended at the version read: concurrent assessments never exceed the cap).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from ..domain.rules import MajorDisease, PlanRules, PoolingPeriod, Tier

RULES_SET = "union.claims.plan.rules_set.v1"
ENROLMENT_NOTED = "union.claims.member.enrolment_noted.v1"
CLAIM_WAITING = "union.claims.member.claim_waiting.v1"
INVOICE_CLAIMED = "union.claims.invoice.claimed.v1"
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
    )


def _day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def used(events: list[Any]) -> Decimal:
    """What a usage stream says the member has used of the annual cap."""
    total = Decimal("0.00")
    for e in events:
        amount = Decimal(e.data["amount"])
        total += amount if e.type == BENEFIT_RESERVED else -amount
    return total


@dataclass
class MemberYear:
    """What claims of one member and plan year are decided on: the plan year's rules, the
    enrolments heard (and the stream's version), the claims waiting, the usage stream."""

    rules: PlanRules | None
    enrolments: dict[tuple[str, int], str]  # (plan_id, year) -> insuring district
    waiting: list[str]
    member_version: int
    usage: list[Any]

    def district(self, plan_id: str, year: int) -> str | None:
        return self.enrolments.get((plan_id, year))

    def heard(self, plan_id: str, year: int, district: str) -> None:
        """An enrolment heard in the transaction under way, not committed yet."""
        self.enrolments.setdefault((plan_id, year), district)


def member_year(member: list[Any], usage: list[Any], rules: PlanRules | None) -> MemberYear:
    enrolments: dict[tuple[str, int], str] = {}
    for e in member:
        if e.type == ENROLMENT_NOTED:
            enrolments.setdefault((e.data["plan_id"], e.data["year"]), e.data["insuring_district"])
    waiting = [e.data["claim_id"] for e in member if e.type == CLAIM_WAITING]
    return MemberYear(rules, enrolments, waiting, len(member), usage)
