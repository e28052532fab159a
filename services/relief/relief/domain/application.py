"""A relief application (stream `application-<id>`): drafted → submitted → approved or
rejected with a reason → disbursed (against the district's budget) → receipt (回执).

Statuses: drafted, submitted, approved, rejected, disbursed. A draft needs a recipient (a
member relief knows) before it is submitted; an approval is at most the amount applied for."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from union_events.errors import Conflict, DomainError, NotFound
from union_events.money import ZERO, yuan
from union_events.published.vocabularies import APPLICATION_STATUSES, GRANT_KINDS

from .events import (
    ApplicationApproved,
    ApplicationDrafted,
    ApplicationEvent,
    ApplicationRejected,
    ApplicationSubmitted,
    GrantDisbursed,
    ReceiptRecorded,
    RecipientSet,
)

STATUSES = APPLICATION_STATUSES
KINDS = GRANT_KINDS


@dataclass(frozen=True)
class Application:
    status: str = "none"  # none|drafted|submitted|approved|rejected|disbursed
    application_id: str = ""
    member_id: str | None = None
    district: str = ""
    kind: str = ""
    intake_id: str | None = None
    source: str = ""
    drafted_on: date | None = None
    amount_requested: Decimal | None = None
    amount_approved: Decimal | None = None
    rejection_reason: str | None = None
    disbursed_on: date | None = None
    receipt_on: date | None = None


def evolve_application(state: Application, event: ApplicationEvent) -> Application:
    match event:
        case ApplicationDrafted():
            return Application(
                status="drafted",
                application_id=event.application_id,
                member_id=event.member_id,
                district=event.district,
                kind=event.kind,
                intake_id=event.intake_id,
                source=event.source,
                drafted_on=event.on,
            )
        case RecipientSet():
            return replace(state, member_id=event.member_id)
        case ApplicationSubmitted():
            return replace(state, status="submitted", amount_requested=event.amount)
        case ApplicationApproved():
            return replace(state, status="approved", amount_approved=event.amount)
        case ApplicationRejected():
            return replace(state, status="rejected", rejection_reason=event.reason)
        case GrantDisbursed():
            return replace(state, status="disbursed", disbursed_on=event.on)
        case ReceiptRecorded():
            return replace(state, receipt_on=event.on)
    return state


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise DomainError(f"a kind is one of {', '.join(KINDS)}", code="unknown_kind")
    return kind


def _positive(amount: Decimal) -> Decimal:
    value = yuan(amount)
    if value <= ZERO:
        raise DomainError("the amount must be positive", code="invalid_amount")
    return value


def decide_draft(
    state: Application,
    *,
    application_id: str,
    member_id: str | None,
    district: str,
    kind: str,
    intake_id: str | None,
    source: str,
    on: date,
    amount: Decimal | None = None,
) -> list[ApplicationEvent]:
    """Open an application; with an amount it is submitted at once (a clerk's application)."""
    if state.status != "none":
        return []  # the same draft again (a redelivered intake, a re-sent claim): nothing new
    drafted = ApplicationDrafted(
        application_id,
        member_id,
        district.strip().strip("/"),
        check_kind(kind),
        intake_id,
        source,
        on,
    )
    if amount is None:
        return [drafted]
    return [drafted, *decide_submit(evolve_application(state, drafted), amount=amount, on=on)]


def _known(state: Application) -> None:
    if state.status == "none":
        raise NotFound("no such application", code="application_not_found")


def _drafted(state: Application) -> None:
    _known(state)
    if state.status != "drafted":
        raise Conflict(f"the application is {state.status}, not drafted", code="not_drafted")


def decide_set_recipient(state: Application, *, member_id: str, on: date) -> list[ApplicationEvent]:
    """Name the member a draft is for (the app checks relief knows the member)."""
    _drafted(state)
    if state.member_id == member_id:
        return []
    return [RecipientSet(member_id, on)]


def decide_submit(state: Application, *, amount: Decimal, on: date) -> list[ApplicationEvent]:
    """Complete a draft with the amount applied for; a draft without a recipient cannot be."""
    _drafted(state)
    if state.member_id is None:
        raise DomainError(
            "the application has no recipient yet: set the member it is for "
            f"(PUT /applications/{state.application_id}/recipient) before submitting it",
            code="recipient_required",
        )
    return [ApplicationSubmitted(_positive(amount), on)]


def decide_approve(
    state: Application, *, amount: Decimal | None, by: str, on: date
) -> list[ApplicationEvent]:
    """Approve the amount applied for, or less; never more (422 naming both amounts)."""
    _known(state)
    if state.status != "submitted":
        raise Conflict(f"the application is {state.status}, not submitted", code="not_submitted")
    requested = state.amount_requested
    assert requested is not None
    approved = _positive(amount) if amount is not None else requested
    if approved > requested:
        raise DomainError(
            f"an approval of {approved} is above the {requested} applied for: approve at most "
            "the amount applied for",
            code="above_requested",
            amount_requested=str(requested),
            amount_approved=str(approved),
        )
    return [ApplicationApproved(approved, by, on)]


def decide_reject(state: Application, *, reason: str, on: date) -> list[ApplicationEvent]:
    _known(state)
    if state.status not in ("drafted", "submitted", "approved"):
        raise Conflict(f"the application is {state.status}", code=f"already_{state.status}")
    if not reason.strip():
        raise DomainError("say why the application is rejected", code="reason_required")
    return [ApplicationRejected(reason.strip(), on)]


def decide_disburse(state: Application, *, on: date) -> list[ApplicationEvent]:
    """Pay the approved amount (the budget is checked beside this, in the same append)."""
    _known(state)
    if state.status == "disbursed":
        raise Conflict("the grant was disbursed already", code="already_disbursed")
    if state.status != "approved" or state.amount_approved is None:
        raise Conflict(f"the application is {state.status}, not approved", code="not_approved")
    return [GrantDisbursed(state.amount_approved, on.year, on)]


def decide_receipt(state: Application, *, on: date) -> list[ApplicationEvent]:
    _known(state)
    if state.status != "disbursed":
        raise Conflict("a receipt is for a disbursed grant", code="not_disbursed")
    if state.receipt_on is not None:
        return []  # confirmed already: the same confirmation again changes nothing
    return [ReceiptRecorded(on)]
