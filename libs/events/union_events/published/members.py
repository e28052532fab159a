"""What the members service publishes on `union.members.>`: ids, org paths and enrolment facts,
never personal data."""

from __future__ import annotations

from datetime import date

from ..contracts import ContractRegistry, EventPayload
from .vocabularies import OrgLevel

registry = ContractRegistry()


@registry.register
class OrgRegistered(EventPayload):
    """An org joined the registry: a city, a district, a unit or a service point."""

    event_name = "union.members.org.registered"
    path: str
    name: str
    level: OrgLevel
    parent: str | None


@registry.register
class MemberRegistered(EventPayload):
    """A person became a member, in a unit of a district."""

    event_name = "union.members.member.registered"
    member_id: str
    unit: str
    district: str
    joined_on: date
    channel: str


@registry.register
class MemberTransferred(EventPayload):
    """A member moved to another unit, possibly in another district."""

    event_name = "union.members.member.transferred"
    member_id: str
    from_unit: str
    to_unit: str
    from_district: str
    to_district: str
    on: date


@registry.register
class MemberLeft(EventPayload):
    """A member left the union."""

    event_name = "union.members.member.left"
    member_id: str
    unit: str
    on: date


@registry.register
class MemberRejoined(EventPayload):
    """A member who left joined the union again, in a unit of a district (the history is
    kept: the member id is the same)."""

    event_name = "union.members.member.rejoined"
    member_id: str
    unit: str
    district: str
    on: date


@registry.register
class MemberEnrolled(EventPayload):
    """A member was enrolled in a plan year (参保), insured by the district of that day."""

    event_name = "union.members.member.enrolled"
    member_id: str
    plan_id: str
    year: int
    insuring_district: str
    on: date


@registry.register
class MemberErased(EventPayload):
    """The member's personal data was erased; ids and history stay valid. The record is closed
    for good (status `erased`): no transfer, enrolment or rejoining follows; the person may
    register again, as a new member with a new id."""

    event_name = "union.members.member.erased"
    member_id: str
    on: date


@registry.register
class SignUpsRecorded(EventPayload):
    """A batch of QR sign-ups was taken in a campaign."""

    event_name = "union.members.campaign.signups_recorded"
    campaign_id: str
    on: date
    count: int
    duplicates: int


@registry.register
class JoinRequestReceived(EventPayload):
    """A join request reached the district (from an outreach union_enrolment intake)."""

    event_name = "union.members.join_request.received"
    request_id: str
    intake_id: str
    district: str
    on: date


PUBLISHED = (
    OrgRegistered,
    MemberRegistered,
    MemberTransferred,
    MemberLeft,
    MemberRejoined,
    MemberEnrolled,
    MemberErased,
    SignUpsRecorded,
    JoinRequestReceived,
)
