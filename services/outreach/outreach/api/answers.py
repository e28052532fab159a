"""The outreach API's answers: the shapes of `shapes`, field by field (days ISO, money
"3011.00"); a list's items are what the single read shows."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from union_events.answers import Answer, IsoDate, MoneyText, Page
from union_events.published.vocabularies import IntakeKind, IntakeOutcome, PointKind

from ..domain.vocabulary import CampaignKind, Channel


class PointOut(Answer):
    point: str
    district: str
    name: str
    kind: PointKind
    amenities: list[str]
    hours: list[str] = Field(examples=[["mon 08:00-18:00"]], description="day and span")
    open: bool
    registered_on: IsoDate


class PointPage(Page):
    items: list[PointOut]


class SessionOut(Answer):
    session_id: str
    status: Literal["scheduled", "held", "cancelled"]
    point: str
    district: str
    on: IsoDate
    services: list[str]
    staff: int = Field(description="staff present (0 until held)")
    member_check_ins: int
    anonymous_check_ins: int
    person_times: int


class CheckedIn(SessionOut):
    counted_as: Literal["member", "anonymous"]


class SessionPage(Page):
    items: list[SessionOut]


# An intake's status as the member follows it (the filter of `GET /intakes` too).
IntakeStatus = Literal["recorded", "routed", "accepted", "closed"]


class IntakeOut(Answer):
    intake_id: str
    status: IntakeStatus
    kind: IntakeKind
    channel: Channel
    district: str
    place: str | None
    routed_to: Literal["relief", "members"] | None = Field(
        description="the service that owns the kind, if any"
    )
    accepted_by: str | None
    reference: str | None = Field(description="the accepting service's record")
    outcome: IntakeOutcome | None
    amount: MoneyText | None = Field(description="wages recovered or relief granted")
    recorded_on: IsoDate
    closed_on: IsoDate | None


class IntakePage(Page):
    items: list[IntakeOut]


class CampaignOut(Answer):
    campaign_id: str
    name: str
    kind: CampaignKind
    stock: int
    handed_out: int
    remaining: int
    categories: list[str] = Field(description="member categories eligible; empty: any")
    districts: list[str] = Field(description="districts eligible; empty: any")
    starts_on: IsoDate
    ends_on: IsoDate


class HandedOut(CampaignOut):
    member_id: str = Field(description="the member's id, canonical")


class CampaignPage(Page):
    items: list[CampaignOut]


class OutcomeFigures(Answer):
    count: int
    amount: MoneyText | None


class DistrictReport(Answer):
    district: str
    start: IsoDate = Field(alias="from")
    end: IsoDate = Field(alias="to")
    sessions_held: int
    person_times: int
    member_check_ins: int
    anonymous_check_ins: int
    intakes_by_kind: dict[str, int]
    intakes_closed_by_outcome: dict[str, OutcomeFigures]
    items_handed_out: dict[str, int] = Field(description="by campaign id")


class MissedSessions(Answer):
    month: str = Field(examples=["2026-10"])
    district: str
    points: list[str] = Field(description="roving points with no held session in the month")
