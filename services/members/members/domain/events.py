"""What happens to orgs, members and campaigns: the domain events of the members service.

Private to the service (they are its log); what other services see is mapped in
`members.public` (no personal data ever leaves). Personal data travels in events only sealed:
`sealed` is the member's personal data encrypted with the member's own data key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


# -- org registry (city → district → unit; service points under a district) ------------------
@dataclass(frozen=True)
class OrgRegistered:
    path: str  # "zhoushan/dinghai/u-anchor"
    name: str
    level: str  # city | district | unit | service_point
    parent: str | None  # None for a city


# -- identity: one member per national ID (keyed hash, never the number itself) ---------------
@dataclass(frozen=True)
class IdentityClaimed:
    """Stream `identity-<hmac>`: appended at version 0, so a second claim conflicts."""

    member_id: str


@dataclass(frozen=True)
class IdentityReleased:
    """Stream `identity-<hmac>`: the holder's personal data was erased, so the ID number no
    longer points at it; the person may register again (a new claim at the stream's version)."""

    member_id: str


@dataclass(frozen=True)
class CardIssued:
    """Stream `card-<card_no>`: a union card number (会员服务卡号) belongs to one member."""

    member_id: str


# -- member (stream `member-<member_id>`) ------------------------------------------------------
@dataclass(frozen=True)
class MemberRegistered:
    member_id: str
    card_no: str
    unit: str  # org path of the unit joined
    district: str  # org path of the unit's district
    sealed: str  # personal data (name, national_id, phone, address), sealed
    joined_on: date
    channel: str = "counter"  # counter | qr_campaign


@dataclass(frozen=True)
class MemberTransferred:
    from_unit: str
    to_unit: str
    from_district: str
    to_district: str
    on: date


@dataclass(frozen=True)
class MemberLeft:
    unit: str
    on: date
    reason: str


@dataclass(frozen=True)
class MemberRejoined:
    """A member who left joined again, in a unit (of any district); the history is kept."""

    unit: str
    district: str
    on: date


@dataclass(frozen=True)
class MemberEnrolled:
    """参保: enrolled in a plan year; the insuring district is the member's district then."""

    plan_id: str
    year: int
    insuring_district: str
    on: date


@dataclass(frozen=True)
class PersonalDataErased:
    """The member's data key was destroyed: the sealed personal data can never be opened."""

    on: date


# -- QR sign-up campaigns (扫码入会, stream `campaign-<campaign_id>`) ----------------------------
@dataclass(frozen=True)
class CampaignOpened:
    campaign_id: str
    district: str
    name: str
    daily_target: int  # 日过百
    weekly_target: int  # 周过千
    monthly_target: int  # 月达万
    starts_on: date


@dataclass(frozen=True)
class SignUpsRecorded:
    """A batch of sign-ups that became members (duplicates of existing members excluded)."""

    on: date
    member_ids: tuple[str, ...]
    duplicates: int


MemberEvent = (
    MemberRegistered
    | MemberTransferred
    | MemberLeft
    | MemberRejoined
    | MemberEnrolled
    | PersonalDataErased
)
IdentityEvent = IdentityClaimed | IdentityReleased
