"""Intake (受理) of requests and complaints at a session, a station or online, routed by event to
the service that owns the kind, followed by the member, and closed with an outcome.

Statuses: `recorded` (handled by outreach's own staff) or `routed` (hardship → relief,
union_enrolment → members), `accepted` once that service took it up, `closed` with an outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from union_events.errors import Conflict, DomainError, NotFound
from union_events.orgs import district_of, validate_org_path
from union_events.published.vocabularies import INTAKE_OUTCOMES

from .events import IntakeAccepted, IntakeClosed, IntakeRecorded
from .members import KnownMember, require_known
from .sessions import Session
from .vocabulary import CHANNELS, INTAKE_KINDS, free_text, one_of

IntakeEvent = IntakeRecorded | IntakeAccepted | IntakeClosed
ROUTED_TO = {"hardship": "relief", "union_enrolment": "members"}
OUTCOMES = INTAKE_OUTCOMES
OUTCOMES_WITH_AMOUNT = ("wages_recovered", "relief_granted")


@dataclass(frozen=True)
class Intake:
    status: str = "none"
    intake_id: str = ""
    kind: str = ""
    district: str = ""
    routed_to: str | None = None
    accepted_by: str | None = None
    reference: str | None = None
    outcome: str | None = None
    amount: Decimal | None = None
    channel: str = ""
    place: str | None = None
    recorded_on: date | None = None
    closed_on: date | None = None


def evolve_intake(state: Intake, event: IntakeEvent) -> Intake:
    match event:
        case IntakeRecorded():
            routed_to = ROUTED_TO.get(event.kind)
            status = "routed" if routed_to else "recorded"
            return Intake(
                status, event.intake_id, event.kind, event.district, routed_to,
                channel=event.channel, place=event.place, recorded_on=event.on,
            )  # fmt: skip
        case IntakeAccepted():
            status = state.status if state.status == "closed" else "accepted"
            return replace(state, status=status, accepted_by=event.by, reference=event.reference)
        case IntakeClosed():
            return replace(
                state, status="closed", outcome=event.outcome, amount=event.amount,
                closed_on=event.on,
            )  # fmt: skip
    return state


@dataclass(frozen=True)
class Requester:
    """Who asked: a member id (canonical; `member` is what outreach knows of it), a union card
    number (at a session or station), or nobody."""

    member_id: str | None = None
    card_no: str | None = None
    member: KnownMember | None = None


def decide_record(
    state: Intake,
    *,
    intake_id: str,
    kind: str,
    channel: str,
    session: Session | None,
    place: str | None,
    district: str | None,
    requester: Requester,
    summary: str,
    today: date,
) -> list[IntakeEvent]:
    if state.status != "none":
        raise Conflict("the intake is recorded already", code="intake_exists")
    one_of(kind, INTAKE_KINDS, "intake_kind")
    one_of(channel, CHANNELS, "channel")
    session_id = None
    if channel == "session":
        if session is None or session.status != "held":
            raise DomainError(
                "a session intake names a held session (session_id)", code="session_not_held"
            )
        session_id, place, district = session.session_id, session.point, session.district
    elif channel == "station":
        if place is None:
            raise DomainError("a station intake names the service point", code="place_required")
        place = validate_org_path(place, depth=3, what="service point")
        district = district_of(place)
    else:
        if place is not None:
            raise DomainError("an online intake has no place", code="place_not_allowed")
        if requester.card_no is not None:
            raise DomainError(
                "a card number is taken at a session or station; online, give the member id",
                code="card_not_allowed",
            )
        if district is None:
            raise DomainError("an online intake names its district", code="district_required")
        district = validate_org_path(district, depth=2, what="district")
    assert district is not None
    if requester.member_id and requester.card_no:
        raise DomainError(
            "the requester is a member id or a card number, not both", code="invalid_requester"
        )
    if requester.member_id is not None:
        require_known(requester.member or KnownMember(), requester.member_id)
    text = free_text(summary, "summary")
    if not (requester.member_id or requester.card_no or text):
        raise DomainError(
            "an anonymous intake needs a summary of the request", code="summary_required"
        )
    recorded = IntakeRecorded(
        intake_id=intake_id,
        kind=kind,
        channel=channel,
        district=district,
        place=place,
        session_id=session_id,
        member_id=requester.member_id,
        card_no=requester.card_no,
        summary=text,
        on=today,
    )
    return [recorded]


def decide_accept(state: Intake, *, by: str, reference: str, today: date) -> list[IntakeEvent]:
    """The owning service took it up: recorded once, whatever is redelivered."""
    if state.status == "none" or state.accepted_by is not None or state.routed_to != by:
        return []  # unknown here, already accepted, or not this service's kind: nothing to do
    return [IntakeAccepted(by, reference, today)]


def decide_close(
    state: Intake, *, outcome: str, amount: Decimal | None, today: date
) -> list[IntakeEvent]:
    if state.status == "none":
        raise NotFound("no such intake", code="intake_not_found")
    if state.status == "closed":
        raise Conflict(f"the intake is closed already ({state.outcome})", code="intake_closed")
    one_of(outcome, OUTCOMES, "outcome")
    if amount is not None and outcome not in OUTCOMES_WITH_AMOUNT:
        raise DomainError(
            f"an amount goes with {' or '.join(OUTCOMES_WITH_AMOUNT)} only",
            code="amount_not_allowed",
        )
    if amount is None and outcome == "wages_recovered":
        raise DomainError("wages recovered: give the amount", code="amount_required")
    return [IntakeClosed(state.intake_id, state.district, state.kind, outcome, amount, today)]
