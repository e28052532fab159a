"""A member: registered in a unit, transferred between units and districts, leaving and
rejoining; enrolled in plan years of the mutual-aid plan (参保); personal data erased
(crypto-shredding).

A member is in one unit at a time; `units` keeps the history as (unit, since). Statuses:
`active`, `left` (may rejoin), `erased` (final: the record is closed, nothing more happens to it;
the person may register again as a new member).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from union_events.errors import Conflict, DomainError, NotFound

from .events import (
    MemberEnrolled,
    MemberEvent,
    MemberLeft,
    MemberRegistered,
    MemberRejoined,
    MemberTransferred,
    PersonalDataErased,
)
from .orgs import Org
from .plan_years import PlanYear, open_for_enrolment

CHANNELS = ("counter", "qr_campaign")


@dataclass(frozen=True)
class Member:
    member_id: str | None = None
    card_no: str | None = None
    unit: str | None = None
    district: str | None = None
    sealed: str | None = None  # personal data, sealed with the member's own key
    status: str = "none"  # none | active | left | erased
    erased: bool = False
    units: tuple[tuple[str, date], ...] = ()  # (unit, since)
    enrolments: frozenset[tuple[str, int]] = frozenset()  # (plan_id, year)
    enrolment_districts: tuple[tuple[str, int, str], ...] = ()  # (plan_id, year, district)


def decide_register(
    state: Member,
    *,
    member_id: str,
    card_no: str,
    unit: Org | None,
    sealed: str,
    today: date,
    channel: str = "counter",
) -> list[MemberRegistered]:
    if state.member_id is not None:
        raise Conflict(
            "this person is a member already", code="member_exists", member_id=state.member_id
        )
    unit_path, district = _known_unit(unit)
    if channel not in CHANNELS:
        raise DomainError(f"unknown channel {channel!r}", code="invalid_channel")
    return [
        MemberRegistered(
            member_id=member_id,
            card_no=card_no,
            unit=unit_path,
            district=district,
            sealed=sealed,
            joined_on=today,
            channel=channel,
        )
    ]


def decide_transfer(state: Member, *, to_unit: Org | None, today: date) -> list[MemberTransferred]:
    from_unit, from_district = _active(state)
    to_path, to_district = _known_unit(to_unit)
    if to_path == from_unit:
        raise DomainError(f"the member is in {to_path!r} already", code="already_in_unit")
    return [
        MemberTransferred(
            from_unit=from_unit,
            to_unit=to_path,
            from_district=from_district,
            to_district=to_district,
            on=today,
        )
    ]


def decide_leave(state: Member, *, reason: str, today: date) -> list[MemberLeft]:
    unit, _ = _active(state)
    if not reason.strip():
        raise DomainError("say why the member leaves", code="reason_required")
    return [MemberLeft(unit=unit, on=today, reason=reason.strip())]


def decide_rejoin(state: Member, *, unit: Org | None, today: date) -> list[MemberRejoined]:
    """A member who left joins again, in a unit of any district; their history stays."""
    if state.member_id is None:
        raise NotFound("no such member", code="member_not_found")
    _not_erased(state)
    if state.status == "active":
        raise Conflict(
            "the member is in the union already; a transfer moves them to another unit",
            code="member_active",
            member_id=state.member_id,
        )
    unit_path, district = _known_unit(unit)
    return [MemberRejoined(unit=unit_path, district=district, on=today)]


def decide_enrol(
    state: Member, *, plan_id: str, year: int, today: date, plan_year: PlanYear | None
) -> list[MemberEnrolled]:
    """`plan_year` is what members heard of it from claims (None: never heard)."""
    _, district = _active(state)
    if not today.year - 1 <= year <= today.year + 1:
        raise DomainError(
            f"enrolment is for last year, this year or next year "
            f"({today.year - 1}-{today.year + 1}), not {year}",
            code="bad_plan_year",
        )
    if (plan_id, year) in state.enrolments:
        raise Conflict(
            f"the member is enrolled in {plan_id} for {year} already",
            code="already_enrolled",
            plan_id=plan_id,
            year=year,
        )
    open_for_enrolment(plan_year, plan_id=plan_id, year=year, today=today)
    return [MemberEnrolled(plan_id=plan_id, year=year, insuring_district=district, on=today)]


def decide_erase(state: Member, *, today: date) -> list[PersonalDataErased]:
    """Erasure is idempotent: erasing again decides nothing."""
    if state.member_id is None:
        raise NotFound("no such member", code="member_not_found")
    return [] if state.erased else [PersonalDataErased(on=today)]


def evolve_member(state: Member, event: MemberEvent) -> Member:
    match event:
        case MemberRegistered():
            return replace(
                state,
                member_id=event.member_id,
                card_no=event.card_no,
                unit=event.unit,
                district=event.district,
                sealed=event.sealed,
                status="active",
                units=(*state.units, (event.unit, event.joined_on)),
            )
        case MemberTransferred():
            return replace(
                state,
                unit=event.to_unit,
                district=event.to_district,
                units=(*state.units, (event.to_unit, event.on)),
            )
        case MemberLeft():
            return replace(state, status="left")
        case MemberRejoined():
            return replace(
                state,
                unit=event.unit,
                district=event.district,
                status="active",
                units=(*state.units, (event.unit, event.on)),
            )
        case MemberEnrolled():
            return replace(
                state,
                enrolments=state.enrolments | {(event.plan_id, event.year)},
                enrolment_districts=(
                    *state.enrolment_districts,
                    (event.plan_id, event.year, event.insuring_district),
                ),
            )
        case PersonalDataErased():
            return replace(state, sealed=None, erased=True, status="erased")
    return state


def _active(state: Member) -> tuple[str, str]:
    """The active member's unit and district; otherwise why there is none."""
    if state.member_id is None or state.unit is None or state.district is None:
        raise NotFound("no such member", code="member_not_found")
    _not_erased(state)
    if state.status != "active":
        raise Conflict(
            "the member has left the union", code="member_left", member_id=state.member_id
        )
    return state.unit, state.district


def _not_erased(state: Member) -> None:
    if state.erased:
        raise Conflict(
            "the member's personal data was erased: the record is closed for good (the person "
            "may register again as a new member)",
            code="member_erased",
            member_id=state.member_id,
        )


def _known_unit(unit: Org | None) -> tuple[str, str]:
    """A unit's path and its district's path."""
    if unit is None:
        raise DomainError("the unit is not in the org registry", code="unknown_unit")
    if unit.level != "unit" or unit.parent is None:
        raise DomainError(f"{unit.path!r} is a {unit.level}, not a unit", code="unknown_unit")
    return unit.path, unit.parent
