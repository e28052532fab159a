"""Request bodies of the claims API: strict (unknown fields are refused with 422); money a
decimal string in yuan with at most two places ("3011.00"), never a float.

A plan year's rules are mapped here both ways, in one place: `RulesIn.rules` (the body → the
domain's `PlanRules`) and `rules_shown` (`PlanRules` → the `RulesOut` answer)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field
from union_events.money import yuan
from union_events.published.vocabularies import RejectionCode, ReturnReason

from ..domain.events import DOCUMENTS, Invoice
from ..domain.rules import MajorDisease, PlanRules, PoolingPeriod, Tier
from .shown import jsonable

Money = Annotated[str, Field(pattern=r"^\d{1,10}(\.\d{1,2})?$", examples=["3011.00"])]
Year = Annotated[int, Path(ge=2000, le=2100, examples=[2026])]  # as members enrols


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PoolingIn(Strict):
    level: Literal["district", "city"]
    effective_from: date


class TierIn(Strict):
    up_to: Money | None = None
    ratio: Annotated[str, Field(pattern=r"^(0(\.\d+)?|1(\.0+)?)$")]


class DiseaseIn(Strict):
    code: str = Field(min_length=1, max_length=64)
    lump_sum: Money


Document = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        json_schema_extra={"enum": list(DOCUMENTS)},
        description="a document handed in beside the invoices: 住院结算单 settlement_statement, "
        "出院记录 discharge_record, 分割单 split_certificate, 诊断证明 diagnosis",
    ),
]


class RulesIn(Strict):
    pooling: list[PoolingIn] = Field(min_length=1)
    deductible: Money
    tiers: list[TierIn] = Field(min_length=1)
    per_claim_cap: Money
    annual_cap: Money
    deadline_days: int = Field(ge=1, le=3650)
    auto_approve_below: Money
    major_diseases: list[DiseaseIn] = []
    enrolment_closes_on: date | None = None  # then claims of members not enrolled are rejected
    claims_close_on: date | None = Field(
        default=None,
        description="the last day a claim of the plan year may be filed (e.g. 31 March of the "
        "next year), beside deadline_days after discharge; later claims are rejected "
        "past_deadline",
    )
    required_documents: list[Document] = Field(
        default=[],
        max_length=20,
        description="the documents a claim of the plan year must be handed in with; a claim "
        "filed or resubmitted without one is rejected invalid_document (422 unknown_document "
        "for a document the desk does not take)",
    )

    def rules(self, plan_id: str, year: int) -> PlanRules:
        """The plan year's rules as the domain holds them (validated there, on setting)."""
        return PlanRules(
            plan_id=plan_id,
            year=year,
            pooling=tuple(PoolingPeriod(p.level, p.effective_from) for p in self.pooling),
            deductible=yuan(self.deductible),
            tiers=tuple(
                Tier(yuan(t.up_to) if t.up_to else None, Decimal(t.ratio)) for t in self.tiers
            ),
            per_claim_cap=yuan(self.per_claim_cap),
            annual_cap=yuan(self.annual_cap),
            deadline_days=self.deadline_days,
            auto_approve_below=yuan(self.auto_approve_below),
            major_diseases=tuple(
                MajorDisease(d.code, yuan(d.lump_sum)) for d in self.major_diseases
            ),
            enrolment_closes_on=self.enrolment_closes_on,
            claims_close_on=self.claims_close_on,
            required_documents=tuple(self.required_documents),
        )


def rules_shown(rules: PlanRules) -> dict[str, Any]:
    """The plan year's rules as `RulesOut` shows them: the same fields as `RulesIn`, with the
    plan and year (money "3011.00"; a ratio as given, at least two places: "0.80", "0.655")."""
    return jsonable(asdict(rules))  # type: ignore[no-any-return]


class InvoiceIn(Strict):
    hospital: str = Field(
        min_length=1,
        max_length=64,
        examples=["ZS-001"],
        description="the hospital's code in the city's registry (GET /hospitals)",
    )
    number: str = Field(
        min_length=1,
        max_length=64,
        description="as printed; compared without spaces, dashes, width or case",
    )
    amount: Money
    issued_on: date


def invoices_of(invoices: list[InvoiceIn]) -> tuple[Invoice, ...]:
    """The invoices of a filing or resubmission as the domain holds them."""
    return tuple(Invoice(i.hospital, i.number, yuan(i.amount), i.issued_on) for i in invoices)


class ClaimIn(Strict):
    member_id: str = Field(
        min_length=1,
        max_length=64,
        description="the member id members gave (a UUID, any letter case; kept in lower case); "
        "other text is no member",
        examples=["0b8a7c1e-3f7d-4a53-9c1f-2d5e8f6a7b90"],
    )
    service_point: str = Field(min_length=1, max_length=200)
    plan_id: str = Field(min_length=1, max_length=64)
    admitted_on: date
    discharged_on: date
    invoices: list[InvoiceIn] = Field(min_length=1, max_length=100)
    documents: list[Document] = Field(default=[], max_length=20)
    major_disease: str | None = None


class ResubmissionIn(Strict):
    service_point: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="where it is resubmitted; the service point it was filed at if left out",
    )
    admitted_on: date
    discharged_on: date
    invoices: list[InvoiceIn] = Field(min_length=1, max_length=100)
    documents: list[Document] = Field(default=[], max_length=20)
    major_disease: str | None = None


class RejectIn(Strict):
    reason: str = Field(min_length=1, max_length=500)
    code: RejectionCode = "other"


class ApproveIn(Strict):
    officer: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="the officer's name as the approval shows it; the token's subject if left out",
    )


class ReturnIn(Strict):
    reason: str = Field(
        min_length=1, max_length=500, description="the officer's note: what to correct, in words"
    )
    code: ReturnReason = "other"


class PaymentIn(Strict):
    service_point: str = Field(min_length=1, max_length=200)


class HospitalIn(Strict):
    name: str = Field(min_length=1, max_length=200, examples=["舟山医院"])
    city: str = Field(max_length=64, examples=["zhoushan"], description="the city's org path")
    district: str | None = Field(
        default=None, max_length=200, examples=["zhoushan/dinghai"], description="if in one"
    )
