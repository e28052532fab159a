"""Filing a claim at a service point: the invoices and dates are checked, the deadline applied.

A claim filed past the deadline is still recorded, and rejected with that reason at once, so
the filer and the reports see it (rather than a bare refusal at the counter). The deadline is
both the days after discharge and the plan year's closing date (`claims_close_on`). So is a
claim filed without a document the plan year requires (`required_documents`): it is rejected
`invalid_document`, the missing ones named in the reason.

A claim belongs to the plan year of its admission: the stay began while the member was insured
that year (a December–January stay is the December year's).

A claim returned for correction is resubmitted under the same claim id (`decide_resubmit`):
its corrected dates, invoices and documents are checked again from the start.
"""

from __future__ import annotations

from datetime import date

from union_events.errors import Conflict, DomainError
from union_events.money import ZERO, yuan

from .events import DOCUMENTS, Actor, ClaimFiled, ClaimRejected, Invoice
from .pooling import district_of
from .registry import code_key, invoice_number_key
from .rules import PlanRules
from .state import Claim, require_claim


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
    documents: tuple[str, ...] = (),
    actor: Actor | None = None,
) -> list[ClaimFiled | ClaimRejected]:
    if state.status not in ("none", "returned"):
        raise Conflict("the claim is filed already", code="claim_exists", claim_id=state.claim_id)
    if state.status == "returned" and member_id != state.member_id:
        raise DomainError("a returned claim is filed again for its member", code="member_mismatch")
    if not member_id.strip():
        raise DomainError("a claim names its member", code="member_required")
    resubmitted = state.status == "returned"
    district_of(service_point)  # a service point stands in a district
    if discharged_on < admitted_on:
        raise DomainError(
            "discharge cannot come before admission", code="discharged_before_admitted"
        )
    if max(admitted_on, discharged_on) > today:
        raise DomainError("admission and discharge cannot be in the future", code="date_in_future")
    checked = _checked_invoices(invoices, today)
    if rules is None or rules.year != admitted_on.year:
        raise DomainError(
            f"the plan has no rules for {admitted_on.year}, the year of admission",
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
        filed_on=state.filed_on if resubmitted and state.filed_on else today,
        major_disease=major_disease,
        documents=_checked_documents(documents),
        resubmitted_on=today if resubmitted else None,
        actor=actor,
    )
    late = rules.too_late(discharged_on, today)
    if late is not None:
        return [filed, ClaimRejected(code="past_deadline", reason=late, on=today)]
    missing = rules.missing_documents(filed.documents)
    if missing is not None:
        return [filed, ClaimRejected(code="invalid_document", reason=missing, on=today)]
    return [filed]


def decide_resubmit(
    state: Claim,
    *,
    service_point: str,
    rules: PlanRules | None,
    admitted_on: date,
    discharged_on: date,
    invoices: tuple[Invoice, ...],
    documents: tuple[str, ...],
    major_disease: str | None,
    today: date,
    actor: Actor | None = None,
) -> list[ClaimFiled | ClaimRejected]:
    """A claim returned for correction, filed again corrected (same claim id and member)."""
    require_claim(state)
    if state.status != "returned":
        raise Conflict(
            f"the claim is {state.status}; only a claim returned for correction is resubmitted",
            code="not_returned",
            status=state.status,
        )
    return decide_file(
        state,
        claim_id=state.claim_id or "",
        member_id=state.member_id or "",
        service_point=service_point,
        rules=rules,
        admitted_on=admitted_on,
        discharged_on=discharged_on,
        invoices=invoices,
        major_disease=major_disease,
        today=today,
        documents=documents,
        actor=actor,
    )


def invoice_key(hospital: str, number: str) -> str:
    """The key an invoice is claimed under, at most once city-wide (the same within a claim):
    the hospital's code and the number normalised (`registry.invoice_number_key`)."""
    return f"{code_key(hospital)}|{invoice_number_key(number)}"


def _checked_documents(documents: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [d for d in documents if d not in DOCUMENTS]
    if unknown:
        raise DomainError(
            f"{unknown[0]!r} is not a document the claims desk takes; a document is one of "
            + ", ".join(DOCUMENTS),
            code="unknown_document",
        )
    return tuple(dict.fromkeys(documents))  # each once, in the order given


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
