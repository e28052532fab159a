"""Request and response bodies of the members HTTP API."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Level = Literal["city", "district", "unit", "service_point"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OrgIn(Strict):
    path: str = Field(min_length=1, max_length=200, examples=["zhoushan/dinghai/u-anchor"])
    name: str = Field(min_length=1, max_length=200)
    level: Level


class OrgOut(BaseModel):
    path: str
    name: str
    level: str
    parent: str | None


class MemberIn(Strict):
    national_id: str = Field(min_length=1, max_length=32, description="身份证号, 18 characters")
    name: str = Field(min_length=1, max_length=100)
    phone: str = Field(min_length=5, max_length=32)
    unit: str = Field(min_length=1, max_length=200, description="org path of the unit joined")
    address: str = Field(default="", max_length=300)


class Registered(BaseModel):
    member_id: str
    card_no: str


class Enrolment(BaseModel):
    plan_id: str
    year: int
    insuring_district: str


class MemberOut(BaseModel):
    member_id: str
    card_no: str
    status: str
    unit: str
    district: str
    erased: bool
    name: str | None = Field(description="null once the personal data is erased")
    national_id_masked: str | None
    phone: str | None
    address: str | None
    units: list[tuple[str, date]] = Field(description="unit history: (unit, since)")
    enrolments: list[Enrolment]


class TransferIn(Strict):
    unit: str = Field(min_length=1, max_length=200)


class LeaveIn(Strict):
    reason: str = Field(min_length=1, max_length=300)


class EnrolIn(Strict):
    plan_id: str = Field(min_length=1, max_length=64)
    year: int = Field(ge=2000, le=2100)


class MemberPage(BaseModel):
    total: int
    page: int
    size: int
    members: list[dict[str, Any]]


class CampaignIn(Strict):
    campaign_id: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")
    district: str = Field(min_length=1, max_length=200)
    name: str = Field(min_length=1, max_length=200)
    daily_target: int = Field(default=100, ge=1)  # 日过百
    weekly_target: int = Field(default=1000, ge=1)  # 周过千
    monthly_target: int = Field(default=10000, ge=1)  # 月达万


class SignUpIn(Strict):
    national_id: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=100)
    phone: str = Field(min_length=5, max_length=32)
    unit: str = Field(min_length=1, max_length=200)


class SignUpBatch(Strict):
    signups: list[SignUpIn] = Field(min_length=1)


class SignUpOut(BaseModel):
    accepted: int
    duplicates: int
    rejected: list[dict[str, Any]]
    members: list[dict[str, Any]]
