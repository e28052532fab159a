"""Request bodies of the outreach API: strict (unknown fields are refused with 422). Rules are
checked in words (the domain's, or a validator's), never shown as a regular expression."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from union_events.errors_http import closed_list
from union_events.published.vocabularies import (
    CampaignKind,
    IntakeChannel,
    IntakeKind,
    IntakeOutcome,
    PointKind,
)


def in_words(pattern: str, words: str) -> Callable[[str], str]:
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise ValueError(words)
        return value

    return check


OrgPath = Annotated[str, Field(min_length=3, max_length=200, examples=["zhoushan/dinghai/pier"])]
CardNo = Annotated[
    str,
    Field(description="union card number, 16 digits", examples=["6200000000000001"]),
    AfterValidator(in_words(r"\d{16}", "a union card number is 16 digits")),
]
MemberId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        description="the member id members gave (a UUID; any letter case)",
        examples=["0b8a7c1e-3f7d-4a53-9c1f-2d5e8f6a7b90"],
    ),
]
Money = Annotated[
    str,
    Field(examples=["3011.00"]),
    AfterValidator(
        in_words(r"\d{1,10}(\.\d{1,2})?", "an amount in yuan is digits with up to two decimals")
    ),
]
CampaignId = Annotated[
    str,
    Field(min_length=1, max_length=64, examples=["cool-2026"]),
    AfterValidator(
        in_words(
            r"[a-z0-9][a-z0-9-]*",
            "a campaign id is lower-case letters, digits and '-', starting with a letter or digit",
        )
    ),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PointIn(Strict):
    point: OrgPath
    name: str = Field(min_length=1, max_length=200)
    kind: Annotated[PointKind, closed_list(PointKind, "point_kind")]
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
    member_id: MemberId | None = None
    card_no: CardNo | None = None
    anonymous: int = Field(default=0, ge=0, le=1000)


class IntakeIn(Strict):
    kind: Annotated[IntakeKind, closed_list(IntakeKind, "intake_kind")]
    channel: Annotated[IntakeChannel, closed_list(IntakeChannel, "channel")]
    session_id: str | None = Field(default=None, max_length=64)
    place: OrgPath | None = None
    district: OrgPath | None = None
    member_id: MemberId | None = None
    card_no: CardNo | None = None
    summary: str = Field(default="", max_length=1000)


class CloseIn(Strict):
    outcome: Annotated[IntakeOutcome, closed_list(IntakeOutcome, "outcome")]
    amount: Money | None = None


class CampaignIn(Strict):
    campaign_id: CampaignId
    name: str = Field(min_length=1, max_length=200)
    kind: Annotated[CampaignKind, closed_list(CampaignKind, "campaign_kind")]
    stock: int = Field(ge=1, le=1_000_000)
    categories: list[str] = Field(default=[], max_length=20)
    districts: list[OrgPath] = Field(default=[], max_length=50)
    starts_on: date
    ends_on: date


class HandOutIn(Strict):
    member_id: MemberId
    point: OrgPath
    member_category: str = Field(min_length=1, max_length=64)
    member_district: OrgPath | None = Field(
        default=None, description="optional: members' record of the member's district decides"
    )
