"""A mutual-aid plan's rules for one plan year, and their validation.

The deductible (起付线) comes off each claim first; the rest is reimbursed tier by tier; a listed
major disease (大病) adds its lump sum; then the per-claim cap and the member's annual cap bite.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from itertools import pairwise

from union_events.errors import DomainError
from union_events.event_codec import Exact
from union_events.money import yuan

from .events import DOCUMENTS

POOLING_LEVELS = ("district", "city")  # 统筹层级: who may pay a claim (see pooling.py)


@dataclass(frozen=True)
class Tier:
    """The amount above the deductible, up to `up_to` (None: no bound), paid at `ratio`."""

    up_to: Decimal | None
    ratio: Exact  # as the rules give it ("0.5", "0.655"): not rounded to two places


@dataclass(frozen=True)
class PoolingPeriod:
    level: str  # district | city
    effective_from: date


@dataclass(frozen=True)
class MajorDisease:
    code: str
    lump_sum: Decimal


@dataclass(frozen=True)
class PlanRules:
    plan_id: str
    year: int
    pooling: tuple[PoolingPeriod, ...]
    deductible: Decimal  # 起付线
    tiers: tuple[Tier, ...]
    per_claim_cap: Decimal
    annual_cap: Decimal  # per member and plan year
    deadline_days: int  # after discharge
    auto_approve_below: Decimal  # a benefit below it is approved without an officer
    major_diseases: tuple[MajorDisease, ...] = ()
    # After it, a member whose enrolment was not heard is not enrolled (claims are rejected
    # `not_enrolled` instead of waiting). None: claims wait for an enrolment as long as it takes.
    enrolment_closes_on: date | None = None
    # The last day a claim of the plan year may be filed (e.g. 31 March of the next year),
    # beside `deadline_days` after discharge. None: only the days after discharge count.
    claims_close_on: date | None = None
    # The documents (of `events.DOCUMENTS`) a claim of the plan year must be handed in with;
    # a claim filed or resubmitted without one is rejected `invalid_document`.
    required_documents: tuple[str, ...] = ()

    def enrolment_closed(self, day: date) -> bool:
        return self.enrolment_closes_on is not None and day > self.enrolment_closes_on

    def too_late(self, discharged_on: date, filed_on: date) -> str | None:
        """Why a claim filed on `filed_on` is past the deadline, in words; None if it is not.

        Both bounds hold: the plan year's closing date and the days after discharge."""
        if self.claims_close_on is not None and filed_on > self.claims_close_on:
            return (
                f"claims of {self.plan_id} {self.year} closed on "
                f"{self.claims_close_on.isoformat()}; this one was filed on {filed_on.isoformat()}"
            )
        days = (filed_on - discharged_on).days
        if days > self.deadline_days:
            return f"filed {days} days after discharge; the plan allows {self.deadline_days}"
        return None

    def missing_documents(self, documents: tuple[str, ...]) -> str | None:
        """Which required documents are not among `documents`, in words; None if none."""
        missing = [d for d in self.required_documents if d not in documents]
        if not missing:
            return None
        return (
            f"the plan {self.plan_id} {self.year} requires documents that were not handed in: "
            + ", ".join(missing)
        )

    def major_disease(self, code: str) -> MajorDisease | None:
        return next((d for d in self.major_diseases if d.code == code), None)


def validate_rules(rules: PlanRules) -> PlanRules:
    """The rules with amounts in yuan and two places; a rule that cannot hold is refused."""
    if not rules.plan_id.strip():
        raise DomainError("a plan needs an id", code="invalid_plan")
    if not 2000 <= rules.year <= 2100:
        raise DomainError(f"{rules.year} is not a plan year", code="invalid_plan_year")
    _check_pooling(rules.pooling, rules.year)
    deductible = _non_negative("deductible", rules.deductible)
    per_claim_cap = _non_negative("per_claim_cap", rules.per_claim_cap)
    annual_cap = _non_negative("annual_cap", rules.annual_cap)
    if per_claim_cap > annual_cap:
        raise DomainError(
            "the per-claim cap cannot exceed the annual cap", code="per_claim_cap_above_annual_cap"
        )
    if annual_cap <= 0:
        raise DomainError("the annual cap must be above zero", code="invalid_cap")
    if isinstance(rules.deadline_days, bool) or rules.deadline_days <= 0:
        raise DomainError("the claim deadline is days above zero", code="invalid_deadline")
    if rules.claims_close_on is not None and rules.claims_close_on < date(rules.year, 1, 1):
        raise DomainError(
            f"claims of {rules.year} cannot close before the year begins "
            f"(claims_close_on {rules.claims_close_on.isoformat()})",
            code="invalid_claims_close_on",
        )
    return replace(
        rules,
        plan_id=rules.plan_id.strip(),
        deductible=deductible,
        tiers=_checked_tiers(rules.tiers),
        per_claim_cap=per_claim_cap,
        annual_cap=annual_cap,
        auto_approve_below=_non_negative("auto_approve_below", rules.auto_approve_below),
        major_diseases=_checked_diseases(rules.major_diseases),
        required_documents=_checked_required(rules.required_documents),
    )


def pooling_level_on(rules: PlanRules, day: date) -> str:
    """The pooling level in force on `day` (before the first period: the first period's)."""
    if not rules.pooling:
        raise DomainError("the plan has no pooling period", code="no_pooling_period")
    level = rules.pooling[0].level
    for period in rules.pooling:
        if period.effective_from <= day:
            level = period.level
    return level


def _check_pooling(periods: tuple[PoolingPeriod, ...], year: int) -> None:
    if not periods:
        raise DomainError("the plan needs at least one pooling period", code="no_pooling_period")
    for period in periods:
        if period.level not in POOLING_LEVELS:
            raise DomainError(
                f"pooling level {period.level!r} is not one of {', '.join(POOLING_LEVELS)}",
                code="invalid_pooling_level",
            )
    days = [p.effective_from for p in periods]
    if any(a >= b for a, b in pairwise(days)):
        raise DomainError("pooling periods go in ascending date order", code="pooling_out_of_order")
    if days[0] > date(year, 1, 1):
        raise DomainError(
            f"the first pooling period must be in force on 1 January {year}",
            code="pooling_starts_late",
        )


def _checked_tiers(tiers: tuple[Tier, ...]) -> tuple[Tier, ...]:
    if not tiers:
        raise DomainError("the plan needs at least one reimbursement tier", code="no_tiers")
    bounds = [t.up_to for t in tiers]
    if None in bounds[:-1]:
        raise DomainError("only the last tier may be unbounded", code="unbounded_tier_not_last")
    for tier in tiers:
        if not isinstance(tier.ratio, Decimal) or not Decimal(0) < tier.ratio <= Decimal(1):
            raise DomainError(
                f"a ratio is a decimal above 0 and at most 1, not {tier.ratio!r}",
                code="invalid_ratio",
            )
    checked = tuple(
        Tier(None if t.up_to is None else _non_negative("up_to", t.up_to), t.ratio) for t in tiers
    )
    ups = [t.up_to for t in checked if t.up_to is not None]
    if any(a >= b for a, b in zip([Decimal(0), *ups], ups, strict=False)):
        raise DomainError("tiers go in ascending order of their bounds", code="tiers_out_of_order")
    return checked


def _checked_diseases(diseases: tuple[MajorDisease, ...]) -> tuple[MajorDisease, ...]:
    codes = [d.code.strip() for d in diseases]
    if not all(codes) or len(set(codes)) != len(codes):
        raise DomainError(
            "major disease codes are unique and not empty", code="invalid_major_disease"
        )
    return tuple(
        MajorDisease(code, _non_negative("lump_sum", d.lump_sum))
        for code, d in zip(codes, diseases, strict=True)
    )


def _checked_required(documents: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [d for d in documents if d not in DOCUMENTS]
    if unknown:
        raise DomainError(
            f"{unknown[0]!r} is not a document the claims desk takes; a document is one of "
            + ", ".join(DOCUMENTS),
            code="unknown_document",
        )
    return tuple(dict.fromkeys(documents))  # each once, in the order given


def _non_negative(name: str, value: Decimal) -> Decimal:
    amount = yuan(value)
    if amount < 0:
        raise DomainError(f"{name} cannot be negative", code="negative_amount", field=name)
    return amount
