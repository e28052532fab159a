"""Stream ids and aggregates of the claims log (one place that names them, as in every service).

- `claim-<id>`: a claim, from filing to payment (`domain.claim`);
- `invoice-<key>`: an invoice claimed by a claim, held by at most one claim at a time, city-wide;
- `plan-<plan_id>-<year>`: the plan year's rules (`rules_set`), replaced by a newer set;
- `member-<member_id>`: the member noted, enrolments heard from members, claims waiting for one;
- `usage-<member_id>-<plan_id>-<year>`: benefits reserved and released against the annual cap;
- `org-<path>`: an org members registered; `hospital-<code>`: a hospital of the city's registry.
"""

from __future__ import annotations

import hashlib
from typing import Any

from union_events.commands import Aggregate

from ..domain import codec
from ..domain import facts as domain
from ..domain import usage as usage_fold
from ..domain.claim import Claim, evolve_claim
from ..domain.filing import invoice_key
from ..domain.registry import Hospital, Org
from ..domain.rules import PlanRules

claims: Aggregate[Claim, Any] = Aggregate(Claim, evolve_claim, codec.encode, codec.decode)
plans: Aggregate[PlanRules | None, Any] = Aggregate(
    lambda: None, domain.evolve_latest, domain.encode, domain.decode
)
members: Aggregate[domain.MemberFacts, Any] = Aggregate(
    domain.MemberFacts, domain.evolve_member, domain.encode, domain.decode
)
invoices: Aggregate[str | None, Any] = Aggregate(
    lambda: None, domain.evolve_invoice, domain.encode, domain.decode
)
usage: Aggregate[tuple[usage_fold.UsageEntry, ...], Any] = Aggregate(
    tuple, domain.evolve_usage, domain.encode, domain.decode
)
orgs: Aggregate[Org | None, Any] = Aggregate(
    lambda: None, domain.evolve_latest, domain.encode, domain.decode
)
hospitals: Aggregate[Hospital | None, Any] = Aggregate(
    lambda: None, domain.evolve_latest, domain.encode, domain.decode
)


def claim_stream(claim_id: str) -> str:
    return f"claim-{claim_id}"


def invoice_stream(hospital: str, number: str) -> str:
    return "invoice-" + hashlib.sha256(invoice_key(hospital, number).encode()).hexdigest()[:40]


def plan_stream(plan_id: str, year: int) -> str:
    return f"plan-{plan_id}-{year}"


def member_stream(member_id: str) -> str:
    return f"member-{member_id}"


def usage_stream(member_id: str, plan_id: str, year: int) -> str:
    return f"usage-{member_id}-{plan_id}-{year}"


def org_stream(path: str) -> str:
    return f"org-{path}"


def hospital_stream(code: str) -> str:
    return f"hospital-{code}"
