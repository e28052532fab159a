"""What the outreach service publishes on `union.outreach.>`: ids, org paths, kinds and counts,
never personal data. The outreach service may add payloads here; `IntakeRecorded` is read by
relief (hardship intakes) and members (enrolment intakes) and only changes by a new version."""

from __future__ import annotations

from datetime import date

from ..contracts import ContractRegistry, EventPayload

registry = ContractRegistry()

INTAKE_KINDS = (
    "wage_arrears",
    "legal_aid",
    "hardship",
    "union_enrolment",
    "medical_reimbursement",
    "other",
)


@registry.register
class IntakeRecorded(EventPayload):
    """A request or complaint was taken at a session, a station or online; the service that
    owns its kind picks it up (hardship → relief, union_enrolment → members)."""

    event_name = "union.outreach.intake.recorded"
    intake_id: str
    kind: str  # one of INTAKE_KINDS
    channel: str  # session | station | online
    district: str  # org path of the district that handles it, e.g. "zhoushan/dinghai"
    place: str | None  # service point org path where it was taken; None when online
    member_id: str | None  # when the requester is a known member
    on: date


PUBLISHED: tuple[type[EventPayload], ...] = (IntakeRecorded,)
