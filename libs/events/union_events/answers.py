"""The shapes of HTTP answers: what every service's response models are built from.

An answer's model is exact (`Answer`: no field it does not name): a route that returns a
field its model lacks fails at once in the tests (a 500, `ResponseValidationError`), instead
of FastAPI dropping the field from the answer without a word. Money, dates and instants are
the contract's text forms, passed through as the route wrote them.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["MONEY_TEXT", "Answer", "Instant", "IsoDate", "MoneyText", "Page"]

MONEY_TEXT = r"^-?\d{1,12}\.\d{2}$"

# Yuan as a decimal string with exactly two places ("3011.00"), never a float.
MoneyText = Annotated[
    str,
    Field(
        pattern=MONEY_TEXT,
        examples=["3011.00"],
        description="yuan as a decimal string with two places",
    ),
]
# A day, ISO 8601 ("2026-11-30").
IsoDate = Annotated[str, Field(json_schema_extra={"format": "date"}, examples=["2026-11-30"])]
# An instant, ISO 8601 with its offset ("2026-11-30T08:15:00+00:00").
Instant = Annotated[
    str, Field(json_schema_extra={"format": "date-time"}, examples=["2026-11-30T08:15:00+00:00"])
]


class Answer(BaseModel):
    """An answer's body: exactly these fields."""

    model_config = ConfigDict(extra="forbid")


class Page(Answer):
    """The head of a paged list: how many in all, which page, how many a page."""

    total: int
    page: int
    size: int
