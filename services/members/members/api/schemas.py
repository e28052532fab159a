"""Request and response bodies of the members HTTP API."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from union_events.answers import Answer, IsoDate, Page
from union_events.published.vocabularies import OrgLevel as Level

_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OrgIn(Strict):
    path: str = Field(min_length=1, max_length=200, examples=["zhoushan/dinghai/u-anchor"])
    name: str = Field(min_length=1, max_length=200)
    level: Level


class OrgOut(Answer):
    path: str
    name: str
    level: Level
    parent: str | None


PHONE = "a Chinese mobile number, 11 digits from 13 to 19 (spaces, dashes, +86 allowed)"


class MemberIn(Strict):
    national_id: str = Field(
        min_length=1, max_length=32, description="身份证号, 18 characters; 16 or over today"
    )
    name: str = Field(min_length=1, max_length=100)
    phone: str = Field(min_length=1, max_length=32, description=PHONE)
    unit: str = Field(min_length=1, max_length=200, description="org path of the unit joined")
    address: str = Field(default="", max_length=300)


class Registered(Answer):
    member_id: str
    card_no: str


class Enrolment(Answer):
    plan_id: str
    year: int
    insuring_district: str


Status = Literal["active", "left", "erased"]
Shown = Literal["shown", "erased", "withheld"]


class MemberOut(Answer):
    """A member as every read shows it: one, a page of a unit, lookup results."""

    member_id: str
    card_no: str
    status: Status = Field(description="active; left (may rejoin); erased (closed for good)")
    unit: str = Field(description="the unit now, or the last one")
    district: str
    joined_on: date | None = Field(description="the first day of membership")
    erased: bool
    personal_data: Shown = Field(
        description="shown; erased (gone for good); withheld (the member is of another "
        "district of the caller's city, whose staff pay the member's claims: ids, status, org "
        "paths, enrolments, the name masked to the surname and the ID number masked)"
    )
    name: str | None = Field(description="null once erased; the surname and * when withheld")
    national_id: str | None = Field(
        description="the full ID number on the record read (`GET /members/{id}` and the answers "
        "of commands on one member) when personal data is shown; null in lists and lookups "
        "(masked there), when withheld or erased"
    )
    national_id_masked: str | None
    phone: str | None
    address: str | None
    units: list[tuple[str, date]] = Field(description="unit history: (unit, since)")
    enrolments: list[Enrolment]


class MemberMatches(Answer):
    total: int
    members: list[MemberOut]


class LookupIn(Strict):
    """Exactly one of the four: the body keeps the ID number and the phone out of URLs."""

    national_id: str | None = Field(default=None, min_length=1, max_length=32)
    card_no: str | None = Field(default=None, min_length=1, max_length=32)
    name: str | None = Field(default=None, min_length=1, max_length=100)
    phone: str | None = Field(default=None, min_length=1, max_length=32)


class TransferIn(Strict):
    unit: str = Field(min_length=1, max_length=200)


class RejoinIn(Strict):
    unit: str = Field(min_length=1, max_length=200, description="org path of the unit joined")


class LeaveIn(Strict):
    reason: str = Field(min_length=1, max_length=300)


class EnrolIn(Strict):
    plan_id: str = Field(min_length=1, max_length=64)
    year: int = Field(ge=2000, le=2100)


class MemberPage(Answer):
    total: int
    page: int
    size: int
    members: list[MemberOut]


class PlanYearOut(Answer):
    plan_id: str
    year: int
    enrolment_closes_on: date | None
    claims_close_on: date | None


class PlanYears(Answer):
    plan_years: list[PlanYearOut]


class CampaignIn(Strict):
    campaign_id: str = Field(min_length=1, max_length=64, examples=["riders-2026"])
    district: str = Field(min_length=1, max_length=200)
    name: str = Field(min_length=1, max_length=200)
    daily_target: int = Field(default=100, ge=1)  # 日过百
    weekly_target: int = Field(default=1000, ge=1)  # 周过千
    monthly_target: int = Field(default=10000, ge=1)  # 月达万

    @field_validator("campaign_id")
    @classmethod
    def _campaign_id(cls, value: str) -> str:
        if not (value[0].isalnum() and all(c in _ID_CHARS for c in value)):
            raise ValueError(
                "a campaign id is lower-case letters, digits and '-', starting with a letter "
                "or a digit, e.g. 'riders-2026'"
            )
        return value


class SignUpIn(Strict):
    national_id: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=100)
    phone: str = Field(min_length=1, max_length=32, description=PHONE)
    unit: str = Field(min_length=1, max_length=200)


class SignUpBatch(Strict):
    signups: list[SignUpIn] = Field(min_length=1)


class SignUpRefused(Answer):
    index: int = Field(description="the sign-up's place in the batch, from 0")
    reason: str


class SignedUp(Answer):
    index: int = Field(description="the sign-up's place in the batch, from 0")
    member_id: str
    card_no: str


class SignUpOut(Answer):
    accepted: int
    duplicates: int
    rejected: list[SignUpRefused]
    members: list[SignedUp]


class CampaignOpened(Answer):
    campaign_id: str
    district: str


class Tally(Answer):
    count: int
    target: int
    met: bool


class CampaignProgressOut(Answer):
    campaign_id: str
    district: str
    as_of: date
    today: Tally
    this_week: Tally = Field(description="the ISO week")
    this_month: Tally = Field(description="the calendar month")
    total: int
    duplicates: int


class DistrictCounts(Answer):
    district: str
    active: int
    left: int
    erased: int


class DistrictMovements(Answer):
    district: str
    active: int = Field(description="members of the district at the end of the period")
    joined: int = Field(description="joined (or rejoined) in the period")
    left: int = Field(description="left the union in the period")
    moved_in: int = Field(description="transferred in from another district in the period")
    moved_out: int = Field(description="transferred out to another district in the period")
    enrolled: dict[str, int] = Field(
        description="enrolments (参保) in the period per plan year, insured by the district"
    )


class JoinRequestOut(Answer):
    request_id: str
    intake_id: str
    district: str
    place: str | None
    member_id: str | None
    received_on: IsoDate


class JoinRequestPage(Page):
    join_requests: list[JoinRequestOut]


class CampaignOut(Answer):
    campaign_id: str
    district: str
    name: str
    daily_target: int
    weekly_target: int
    monthly_target: int
    starts_on: IsoDate
    total: int = Field(description="sign-ups that became members")
    duplicates: int = Field(description="sign-ups of people who were members already")


class DayCount(Answer):
    on: IsoDate
    count: int


class CampaignDetailOut(CampaignOut):
    days: list[DayCount] = Field(
        description="sign-ups that became members, per day that had any, oldest first"
    )


class CampaignPage(Page):
    campaigns: list[CampaignOut]


class CampaignSignUpOut(Answer):
    member_id: str
    card_no: str
    name: str | None
    national_id_masked: str | None = Field(description="330902********1234")
    phone_masked: str | None = Field(description="139****5678")
    unit: str
    status: Status
    signed_up_on: IsoDate


class CampaignSignUpPage(Page):
    campaign_id: str
    signups: list[CampaignSignUpOut]
