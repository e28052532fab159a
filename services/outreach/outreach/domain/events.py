"""What happens at outreach: the domain events of the outreach service (its log).

Private to the service; what other services see is mapped in `public.py`. No names, phone or
ID numbers: requesters are member ids, union card numbers (kept here, never published) or
anonymous. Events carry the point and district they happened at, so that the public view and
the read models need no other event to use one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from union_events.money import Money


@dataclass(frozen=True)
class PointRegistered:
    point: str  # org path, e.g. "zhoushan/dinghai/ferry-square"
    district: str
    name: str  # the place's name (a square, a station), never a person's
    kind: str  # roving_point | station | workers_home
    amenities: tuple[str, ...]
    hours: tuple[str, ...]  # "mon 08:00-18:00", one per open weekday
    on: date


@dataclass(frozen=True)
class PointOpened:
    point: str
    district: str
    on: date


@dataclass(frozen=True)
class PointClosed:
    point: str
    district: str
    reason: str
    on: date


@dataclass(frozen=True)
class SessionScheduled:
    session_id: str
    point: str
    district: str
    on: date
    services: tuple[str, ...]


@dataclass(frozen=True)
class SessionHeld:
    session_id: str
    point: str
    district: str
    on: date
    services: tuple[str, ...]
    staff: int  # staff present


@dataclass(frozen=True)
class SessionCancelled:
    session_id: str
    point: str
    district: str
    reason: str
    on: date


@dataclass(frozen=True)
class MemberCheckedIn:
    """A check-in by card counted as a member's. No longer decided (outreach cannot tell a
    member's card from a made-up one); kept so that the sessions of the past read as they were."""

    session_id: str
    point: str
    district: str
    card_no: str  # kept inside outreach only
    on: date


@dataclass(frozen=True)
class KnownMemberCheckedIn:
    """A member outreach knows from members' events checked in (by member id): a member's."""

    session_id: str
    point: str
    district: str
    member_id: str
    on: date


@dataclass(frozen=True)
class CardCheckedIn:
    """A union card number outreach cannot tie to a member (members does not publish card
    numbers): counted anonymously, the card kept so that it counts once a session."""

    session_id: str
    point: str
    district: str
    card_no: str  # kept inside outreach only
    on: date


@dataclass(frozen=True)
class AnonymousCheckedIn:
    session_id: str
    point: str
    district: str
    count: int
    on: date


@dataclass(frozen=True)
class IntakeRecorded:
    intake_id: str
    kind: str
    channel: str  # session | station | online
    district: str
    place: str | None
    session_id: str | None
    member_id: str | None
    card_no: str | None  # kept inside outreach only
    summary: str  # free text, kept inside outreach only
    on: date


@dataclass(frozen=True)
class IntakeAccepted:
    """The owning service took the intake up (relief drafted an application, members a request)."""

    by: str  # relief | members
    reference: str  # the application or join request id there
    on: date


@dataclass(frozen=True)
class IntakeClosed:
    intake_id: str
    district: str
    kind: str
    outcome: str
    amount: Money | None  # e.g. wages recovered, yuan
    on: date


@dataclass(frozen=True)
class CampaignOpened:
    campaign_id: str
    name: str
    kind: str  # cooling_supplies | cinema_voucher | gym_voucher | festival_gift | other
    stock: int
    categories: tuple[str, ...]  # eligible member categories; empty: any
    districts: tuple[str, ...]  # eligible member districts; empty: the whole city
    starts_on: date
    ends_on: date
    city: str = ""  # the city it runs in (none recorded before the campaigns list)


@dataclass(frozen=True)
class ItemHandedOut:
    campaign_id: str
    member_id: str
    point: str
    district: str  # the point's district
    on: date


@dataclass(frozen=True)
class MemberServed:
    """The marker on `campaign-<id>-member-<member_id>`, appended at version 0: once a member."""

    campaign_id: str
    point: str
    on: date


@dataclass(frozen=True)
class MemberNoted:
    """members registered this member (heard over NATS): outreach now knows the member id."""

    member_id: str  # canonical: a lower-case UUID
    district: str  # the member's district
    on: date


@dataclass(frozen=True)
class MemberStatusNoted:
    """members says the member left the union (`left`), joined again (`active`, in
    `district`) or had their personal data erased (`erased`)."""

    member_id: str
    status: str  # active | left | erased
    district: str | None
    on: date


@dataclass(frozen=True)
class MemberMoved:
    """members transferred the member to a unit of `district`."""

    member_id: str
    district: str
    on: date
