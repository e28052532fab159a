"""Request bodies and the JSON shape of answers. Money is a decimal string ("300.00"): a
float, a negative or a malformed amount is a 422 naming the field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Money = Annotated[
    str,
    Field(
        pattern=r"^\d{1,10}(\.\d{1,2})?$",
        examples=["300.00"],
        description="yuan as a decimal string with at most two places; never a float",
    ),
]
Path = Annotated[str, Field(min_length=3, max_length=200, pattern=r"^[a-z0-9_]+(/[a-z0-9_]+)+$")]
Kind = Literal["living_assistance", "major_illness", "education", "festival_condolence"]
Category = Literal["deep", "relative", "accident_or_illness"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class StandardIn(Strict):
    district: Path
    amount: Money
    effective_from: date


class PersonIn(Strict):
    name: str = Field(min_length=1, max_length=100)
    relation: str = Field(min_length=1, max_length=50)
    born: int | None = Field(default=None, ge=1900, le=2100)


class FileIn(Strict):
    member_id: str = Field(min_length=1, max_length=64)
    district: Path
    opened_by: Path | None = None
    category: Category
    household: list[PersonIn] = Field(min_length=1, max_length=30)
    monthly_income: Money
    notes: str = Field(default="", max_length=2000)


class ReviewIn(Strict):
    monthly_income: Money
    category: Category | None = None
    household: list[PersonIn] | None = Field(default=None, min_length=1, max_length=30)
    notes: str = Field(default="", max_length=2000)


class ReasonIn(Strict):
    reason: str = Field(min_length=1, max_length=500)


class VisitIn(Strict):
    on: date | None = None
    by: str = Field(default="district_officer", min_length=1, max_length=100)


class BudgetIn(Strict):
    district: Path
    year: int = Field(ge=2000, le=2100)
    kind: Kind
    amount: Money


class ApplicationIn(Strict):
    member_id: str = Field(min_length=1, max_length=64)
    district: Path
    kind: Kind
    amount: Money


class AmountIn(Strict):
    amount: Money


class ApproveIn(Strict):
    amount: Money | None = None


class RunIn(Strict):
    month: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", examples=["2026-11"])


def jsonable(value: Any) -> Any:  # dict in, dict out
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | frozenset | set):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return value


def money(text: str) -> Decimal:
    return Decimal(text)


def plain(values: dict[str, Any]) -> dict[str, Any]:
    """A dict as JSON: Decimal money with two places, ISO dates."""
    out: dict[str, Any] = jsonable(values)
    return out
