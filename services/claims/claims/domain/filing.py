"""Filing a claim at a service point: the invoices and dates are checked, the deadline applied.

A claim filed past the deadline is still recorded, and rejected with that reason at once, so
the filer and the reports see it (rather than a bare refusal at the counter).
"""

from __future__ import annotations

from datetime import date

from union_events.errors import Conflict, DomainError
from union_events.money import ZERO, yuan

from .events import ClaimFiled, ClaimRejected, Invoice
from .pooling import district_of
from .rules import PlanRules
from .state import Claim


def decide_file(
    state: Claim,
    *,
    claim_id: str,
    member_id: str,
    service_point: str,
    rules: PlanRules | None,
    admitted_on: date,
    discharged_on: date,
    invoices: tuple[Invoice, ...],
    major_disease: str | None,
    today: date,
) -> list[ClaimFiled | ClaimRejected]:
    if state.status not in ("none", "returned"):
        raise Conflict("the claim is filed already", code="claim_exists", claim_id=state.claim_id)
    if state.status == "returned" and member_id != state.member_id:
        raise DomainError("a returned claim is filed again for its member", code="member_mismatch")
    if not member_id.strip():
        raise DomainError("a claim names its member", code="member_required")
    district_of(service_point)  # a service point stands in a district
    if discharged_on < admitted_on:
        raise DomainError(
            "discharge cannot come before admission", code="discharged_before_admitted"
        )
    if max(admitted_on, discharged_on) > today:
        raise DomainError("admission and discharge cannot be in the future", code="date_in_future")
    checked = _checked_invoices(invoices, today)
    if rules is None or rules.year != discharged_on.year:
        raise DomainError(
            f"the plan has no rules for {discharged_on.year}, the year of discharge",
            code="unknown_plan_year",
        )
    if major_disease is not None and rules.major_disease(major_disease) is None:
        raise DomainError(
            f"{major_disease!r} is not a major disease listed by the plan",
            code="unknown_major_disease",
        )
    filed = ClaimFiled(
        claim_id=claim_id,
        member_id=member_id.strip(),
        service_point=service_point.strip(),
        plan_id=rules.plan_id,
        year=rules.year,
        admitted_on=admitted_on,
        discharged_on=discharged_on,
        invoices=checked,
        claimed=sum((i.amount for i in checked), ZERO),
        filed_on=today,
        major_disease=major_disease,
    )
    days = (today - discharged_on).days
    if days > rules.deadline_days:
        reason = f"filed {days} days after discharge; the plan allows {rules.deadline_days}"
        return [filed, ClaimRejected(code="past_deadline", reason=reason, on=today)]
    return [filed]


def invoice_key(hospital: str, number: str) -> str:
    """The key an invoice is claimed under, at most once city-wide (the same within a claim)."""
    return f"{hospital.strip().casefold()}|{number.strip().casefold()}"


def _checked_invoices(invoices: tuple[Invoice, ...], today: date) -> tuple[Invoice, ...]:
    if not invoices:
        raise DomainError("a claim needs at least one invoice", code="no_invoices")
    checked, seen = [], set[str]()
    for invoice in invoices:
        hospital, number = invoice.hospital.strip(), invoice.number.strip()
        if not hospital or not number:
            raise DomainError("an invoice names its hospital and number", code="invalid_invoice")
        amount = yuan(invoice.amount)
        if amount != invoice.amount or amount <= 0:
            raise DomainError(
                f"invoice {number}: the amount is yuan above zero with at most two places",
                code="invalid_amount",
            )
        if invoice.issued_on > today:
            raise DomainError(f"invoice {number} is dated in the future", code="date_in_future")
        key = invoice_key(hospital, number)
        if key in seen:
            raise DomainError(
                f"invoice {number} of {hospital} is in the claim twice",
                code="duplicate_invoice",
                hospital=hospital,
                number=number,
            )
        seen.add(key)
        checked.append(Invoice(hospital, number, amount, invoice.issued_on))
    return tuple(checked)
