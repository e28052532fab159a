"""The relief API's answers: each route's body, field by field (money "300.00", days ISO)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from union_events.answers import Answer, IsoDate, MoneyText, Page
from union_events.published.vocabularies import ApplicationStatus, GrantKind

from .schemas import Category


class StandardSet(Answer):
    district: str
    amount: MoneyText = Field(description="per person and month")
    effective_from: IsoDate


class StandardInForce(Answer):
    district: str
    on: IsoDate
    amount: MoneyText = Field(description="per person and month")
    card_factor: str = Field(examples=["1.3"], description="RELIEF_CARD_FACTOR")
    card_line_per_head: MoneyText = Field(
        description="card_factor × amount: a household below it per head gets a card"
    )


class Card(Answer):
    """The file's active hardship card (爱心帮扶证)."""

    card_id: str
    since: IsoDate
    last_visit: IsoDate | None


class Person(Answer):
    name: str
    relation: str
    born: int | None = Field(default=None, description="left out when not given")


class HouseholdOut(Answer):
    members: list[Person]
    notes: str


class FileOut(Answer):
    """A hardship file as every read shows it."""

    file_id: str
    member_id: str
    district: str
    status: Literal["open", "closed"]
    category: Category
    household_size: int
    monthly_income: MoneyText
    income_per_head: MoneyText = Field(description="rounded to the fen for display only")
    opened_on: IsoDate
    review_due: IsoDate | None
    card: Card | None
    household_erased: bool
    closed_reason: str | None
    household: HouseholdOut | None = Field(
        default=None,
        description="in clear on `GET /files/{id}` (null once the member was erased; then "
        "null in every answer on the file); left out otherwise",
    )


class FilePage(Page):
    files: list[FileOut] = Field(description="without the household")


class ReliefMember(Answer):
    """What relief knows of a member (heard from members)."""

    member_id: str
    status: Literal["active", "left", "erased"]
    district: str | None
    since: IsoDate | None
    file_ids: list[str] = Field(description="every file the member had, oldest first")
    open_file_id: str | None
    card_id: str | None


class BudgetOut(Answer):
    district: str
    year: int
    kind: GrantKind
    amount: MoneyText | None = Field(description="null: no budget set")
    committed: MoneyText = Field(description="approved or disbursed grants")
    left: MoneyText | None


class ApplicationOut(Answer):
    """A relief application as every read shows it."""

    application_id: str
    status: ApplicationStatus
    member_id: str | None = Field(description="null on a draft from an intake naming nobody")
    district: str
    kind: GrantKind
    intake_id: str | None
    source: Literal["clerk", "claims", "intake"] = Field(
        description="a clerk's application, a draft from a paid claim or from an intake"
    )
    drafted_on: IsoDate
    amount_requested: MoneyText | None = Field(description="null until submitted")
    amount_approved: MoneyText | None = Field(description="null until approved")
    rejection_reason: str | None
    disbursed_on: IsoDate | None
    receipt_on: IsoDate | None


class ApplicationPage(Page):
    applications: list[ApplicationOut]


class RunCountsOut(Answer):
    month: str = Field(examples=["2026-11"])
    cards: int = Field(description="active cards")
    paid: int
    skipped: int = Field(description="paid before, or not due that month")
    not_members: int = Field(
        description="cards of members who left, were erased or relief never heard of: not paid"
    )
    amount: MoneyText = Field(description="the subsidy each member paid got")
    total: MoneyText = Field(description="what this run paid: paid × amount")


class KindFigures(Answer):
    person_times: int
    amount: MoneyText


class DistrictFigures(Answer):
    district: str
    kinds: dict[str, KindFigures] = Field(
        description="by grant kind, and card_subsidy for the monthly card subsidies"
    )
    person_times: int
    amount: MoneyText


class OverdueCard(Answer):
    card_id: str
    file_id: str
    member_id: str
    due: IsoDate
    last_visit: IsoDate | None


class OverdueVisits(Answer):
    district: str
    overdue: list[OverdueCard]
