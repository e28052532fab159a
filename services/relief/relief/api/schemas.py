"""Request bodies and the JSON shape of answers. Money is a decimal string ("300.00"): a
float, a negative or a malformed amount is a 422 naming the field."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from union_events.errors import DomainError
from union_events.orgs import ORG_PATH_PATTERN, validate_org_path
from union_events.published.vocabularies import GrantKind

from ..domain.subsidy import parse_month

_MONEY = re.compile(r"\d{1,10}(\.\d{1,2})?")


def _money(value: str) -> str:
    if not _MONEY.fullmatch(value):
        raise ValueError(
            f"{value!r} is not an amount: yuan as a decimal string with at most two places, "
            "not negative, like '300.00'"
        )
    return value


Money = Annotated[
    str,
    Field(
        examples=["300.00"],
        description="yuan as a decimal string with at most two places; never a float",
        json_schema_extra={"pattern": r"^\d{1,10}(\.\d{1,2})?$"},
    ),
    AfterValidator(_money),
]


def _org_path(depth: int | None, what: str) -> AfterValidator:
    """The toolkit's org-path grammar (`union_events.orgs`), its rule said in words."""

    def check(value: str) -> str:
        try:
            return validate_org_path(value, depth=depth, what=what)
        except DomainError as exc:
            raise ValueError(exc.message) from None

    return AfterValidator(check)


_PATH_FIELD = Field(
    min_length=3,
    max_length=200,
    json_schema_extra={"pattern": ORG_PATH_PATTERN},
    examples=["zhoushan/dinghai"],
)
District = Annotated[str, _PATH_FIELD, _org_path(2, "a district")]
OrgPath = Annotated[str, _PATH_FIELD, _org_path(None, "an org path")]
Path = District  # every district a relief record names
MemberId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        examples=["0b8a7c1e-3f7d-4a53-9c1f-2d5e8f6a7b90"],
        description="a member id (a UUID) the members service registered",
    ),
]
Kind = GrantKind  # the one list (union_events.published.vocabularies)
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
    member_id: MemberId
    district: District
    opened_by: OrgPath | None = None
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
    member_id: MemberId
    district: District
    kind: Kind
    amount: Money


class AmountIn(Strict):
    amount: Money


class RecipientIn(Strict):
    member_id: MemberId


class ApproveIn(Strict):
    amount: Money | None = None


def _month(value: str) -> str:
    try:
        parse_month(value)
    except DomainError as exc:
        raise ValueError(exc.message) from None
    return value


class RunIn(Strict):
    month: Annotated[
        str,
        Field(examples=["2026-11"], json_schema_extra={"pattern": r"^\d{4}-(0[1-9]|1[0-2])$"}),
        AfterValidator(_month),
    ]


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
