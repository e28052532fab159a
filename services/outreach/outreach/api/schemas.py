"""Request bodies of the outreach API: strict (unknown fields are refused with 422)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

OrgPath = Annotated[str, Field(min_length=3, max_length=200, examples=["zhoushan/dinghai/pier"])]
CardNo = Annotated[str, Field(pattern=r"^\d{16}$", description="union card number, 16 digits")]
MemberId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$")]
Money = Annotated[str, Field(pattern=r"^\d{1,10}(\.\d{1,2})?$", examples=["3011.00"])]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PointIn(Strict):
    point: OrgPath
    name: str = Field(min_length=1, max_length=200)
    kind: str = Field(description="roving_point | station | workers_home")
    amenities: list[str] = Field(default=[], max_length=10)
    hours: dict[str, str] = Field(default={}, examples=[{"mon": "08:00-18:00"}])


class PointStatusIn(Strict):
    open: bool
    reason: str = Field(default="", max_length=500)


class SessionIn(Strict):
    point: OrgPath
    on: date
    services: list[str] = Field(min_length=1, max_length=20)


class HeldIn(Strict):
    staff: int = Field(ge=1, le=500, description="staff present")


class CancelIn(Strict):
    reason: str = Field(min_length=1, max_length=500)


class CheckInIn(Strict):
    card_no: CardNo | None = None
    anonymous: int = Field(default=0, ge=0, le=1000)


class IntakeIn(Strict):
    kind: str = Field(description="wage_arrears | legal_aid | hardship | union_enrolment | ...")
    channel: str = Field(description="session | station | online")
    session_id: str | None = Field(default=None, max_length=64)
    place: OrgPath | None = None
    district: OrgPath | None = None
    member_id: MemberId | None = None
    card_no: CardNo | None = None
    summary: str = Field(default="", max_length=1000)


class CloseIn(Strict):
    outcome: str
    amount: Money | None = None


class CampaignIn(Strict):
    campaign_id: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(min_length=1, max_length=200)
    kind: str
    stock: int = Field(ge=1, le=1_000_000)
    categories: list[str] = Field(default=[], max_length=20)
    districts: list[OrgPath] = Field(default=[], max_length=50)
    starts_on: date
    ends_on: date


class HandOutIn(Strict):
    member_id: MemberId
    point: OrgPath
    member_category: str = Field(min_length=1, max_length=64)
    member_district: OrgPath
