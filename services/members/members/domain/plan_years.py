"""Plan years members knows of: heard from claims (`union.claims.plan_year.set.v1`, published
from a plan year's rules), so an enrolment (参保) names a plan year that exists and is still open.

One stream per plan year (`plan-year-<plan_id>-<year>`); a plan year's rules set again with the
same dates decides nothing, new dates are heard again. Claims owns the rules: members keeps only
that the year exists and the day its enrolment closes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from union_events.errors import DomainError
from union_events.event_codec import EventCodec


@dataclass(frozen=True)
class PlanYearHeard:
    plan_id: str
    year: int
    enrolment_closes_on: date | None  # None: enrolment stays open
    claims_close_on: date | None = None


@dataclass(frozen=True)
class PlanYear:
    plan_id: str
    year: int
    enrolment_closes_on: date | None = None
    claims_close_on: date | None = None


EVENT_TYPES: dict[type[Any], str] = {PlanYearHeard: "union.members.plan_year.heard.v1"}
_CODEC = EventCodec("members", EVENT_TYPES)


def plan_year_stream(plan_id: str, year: int) -> str:
    return f"plan-year-{plan_id}-{year}"


def decide_hear(
    known: PlanYear | None,
    *,
    plan_id: str,
    year: int,
    enrolment_closes_on: date | None,
    claims_close_on: date | None,
) -> list[PlanYearHeard]:
    """Note a plan year, or its changed dates; the same again decides nothing."""
    heard = PlanYear(plan_id, year, enrolment_closes_on, claims_close_on)
    return (
        []
        if known == heard
        else [PlanYearHeard(plan_id, year, enrolment_closes_on, claims_close_on)]
    )


def evolve_plan_year(_: PlanYear | None, event: PlanYearHeard) -> PlanYear:
    return PlanYear(event.plan_id, event.year, event.enrolment_closes_on, event.claims_close_on)


def open_for_enrolment(known: PlanYear | None, *, plan_id: str, year: int, today: date) -> None:
    """Refuse an enrolment in a plan year claims never set (422 `unknown_plan_year`) or one
    whose enrolment closed (422 `enrolment_closed`)."""
    if known is None:
        raise DomainError(
            f"plan {plan_id!r} has no plan year {year}: its rules are not set in claims (or "
            "members has not heard of them yet)",
            code="unknown_plan_year",
            plan_id=plan_id,
            year=year,
        )
    closes = known.enrolment_closes_on
    if closes is not None and today > closes:
        raise DomainError(
            f"enrolment in plan {plan_id!r} for {year} closed on {closes.isoformat()}",
            code="enrolment_closed",
            plan_id=plan_id,
            year=year,
            enrolment_closes_on=closes.isoformat(),
        )


def encode(event: object) -> tuple[str, dict[str, Any]]:
    return _CODEC.encode(event)


def decode(event_type: str, data: Mapping[str, Any]) -> PlanYearHeard:
    event: PlanYearHeard = _CODEC.decode(event_type, data)
    return event
