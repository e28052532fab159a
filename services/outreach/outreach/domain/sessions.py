"""Roving sessions (巡回服务): scheduled at a point with the services offered, then held (with
the staff present) or cancelled. Check-ins: a member outreach knows (by member id) counts as a
member's; a union card number counts anonymously (outreach cannot tie a card to a member:
members does not publish card numbers), once a card; or a number of people counted anonymously.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from union_events.errors import Conflict, DomainError, NotFound

from .events import (
    AnonymousCheckedIn,
    CardCheckedIn,
    KnownMemberCheckedIn,
    MemberCheckedIn,
    SessionCancelled,
    SessionHeld,
    SessionScheduled,
)
from .members import KnownMember, require_known
from .points import Point
from .vocabulary import SERVICES, many_of

SessionEvent = (
    SessionScheduled
    | SessionHeld
    | SessionCancelled
    | MemberCheckedIn
    | KnownMemberCheckedIn
    | CardCheckedIn
    | AnonymousCheckedIn
)
MAX_ANONYMOUS = 1000  # per check-in entry: a clerk's tally of a busy morning


@dataclass(frozen=True)
class Session:
    status: str = "none"  # none | scheduled | held | cancelled
    session_id: str = ""
    point: str = ""
    district: str = ""
    on: date | None = None
    services: tuple[str, ...] = ()
    staff: int = 0
    cards: frozenset[str] = frozenset()  # cards counted as members' (before member ids)
    members: frozenset[str] = frozenset()  # member ids of known members
    anonymous_cards: frozenset[str] = frozenset()  # cards counted anonymously
    anonymous: int = 0  # people counted without a card

    @property
    def member_check_ins(self) -> int:
        return len(self.cards) + len(self.members)

    @property
    def anonymous_check_ins(self) -> int:
        return len(self.anonymous_cards) + self.anonymous

    @property
    def person_times(self) -> int:
        return self.member_check_ins + self.anonymous_check_ins


def evolve_session(state: Session, event: SessionEvent) -> Session:
    match event:
        case SessionScheduled():
            return Session(
                "scheduled", event.session_id, event.point, event.district, event.on, event.services
            )
        case SessionHeld():
            return replace(state, status="held", staff=event.staff)
        case SessionCancelled():
            return replace(state, status="cancelled")
        case MemberCheckedIn():
            return replace(state, cards=state.cards | {event.card_no})
        case KnownMemberCheckedIn():
            return replace(state, members=state.members | {event.member_id})
        case CardCheckedIn():
            return replace(state, anonymous_cards=state.anonymous_cards | {event.card_no})
        case AnonymousCheckedIn():
            return replace(state, anonymous=state.anonymous + event.count)
    return state


def decide_schedule(
    state: Session, *, session_id: str, point: Point, on: date, services: Sequence[str]
) -> list[SessionEvent]:
    if state.status != "none":
        raise Conflict("the session is scheduled already", code="session_exists")
    if not point.exists:
        raise NotFound(f"no service point {point.point}", code="point_not_found")
    if not point.open:
        raise DomainError(f"service point {point.point} is closed", code="point_closed")
    offered = many_of(services, SERVICES, "service")
    if not offered:
        raise DomainError("a session offers at least one service", code="services_required")
    return [SessionScheduled(session_id, point.point, point.district, on, offered)]


def decide_hold(state: Session, *, staff: int, today: date) -> list[SessionEvent]:
    _scheduled(state)
    assert state.on is not None
    if today < state.on:
        raise DomainError(
            f"the session is on {state.on.isoformat()}: it cannot be held before",
            code="session_in_future",
        )
    if staff < 1:
        raise DomainError("a held session has at least one staff member", code="staff_required")
    return [
        SessionHeld(state.session_id, state.point, state.district, state.on, state.services, staff)
    ]


def decide_cancel(state: Session, *, reason: str, today: date) -> list[SessionEvent]:
    _scheduled(state)
    if not reason.strip():
        raise DomainError("a cancellation gives a reason", code="reason_required")
    return [SessionCancelled(state.session_id, state.point, state.district, reason.strip(), today)]


def decide_check_in(
    state: Session,
    *,
    card_no: str | None = None,
    member: KnownMember | None = None,
    member_id: str | None = None,
    anonymous: int = 0,
) -> list[SessionEvent]:
    """One check-in entry, only at a held session: a member by id (`member`: what outreach
    knows of `member_id`), a card number (counted anonymously), or `anonymous` people."""
    _require(state)
    if state.status != "held":
        raise Conflict(
            f"check-ins are taken at a held session; this one is {state.status}",
            code="session_not_held",
        )
    assert state.on is not None
    at = (state.session_id, state.point, state.district)
    if sum((card_no is not None, member_id is not None, anonymous != 0)) != 1:
        raise DomainError(
            "a check-in is one member's id, one union card number or an anonymous count",
            code="invalid_check_in",
        )
    if member_id is not None:
        known = require_known(member or KnownMember(), member_id)
        if known.member_id in state.members:
            raise Conflict("this member is checked in already", code="already_checked_in")
        return [KnownMemberCheckedIn(*at, known.member_id, state.on)]
    if card_no is not None:
        if card_no in state.cards | state.anonymous_cards:
            raise Conflict("this card is checked in already", code="already_checked_in")
        return [CardCheckedIn(*at, card_no, state.on)]
    if not 1 <= anonymous <= MAX_ANONYMOUS:
        raise DomainError(f"an anonymous count is 1 to {MAX_ANONYMOUS}", code="invalid_check_in")
    return [AnonymousCheckedIn(*at, anonymous, state.on)]


def counted_as(events: list[SessionEvent]) -> str:
    """How a check-in entry counted: `member` (a known member) or `anonymous`."""
    return "member" if any(isinstance(e, KnownMemberCheckedIn) for e in events) else "anonymous"


def _require(state: Session) -> None:
    if state.status == "none":
        raise NotFound("no such session", code="session_not_found")


def _scheduled(state: Session) -> None:
    _require(state)
    if state.status != "scheduled":
        raise Conflict(f"the session is {state.status} already", code=f"session_{state.status}")
