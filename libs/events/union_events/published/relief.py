"""What the relief service publishes on `union.relief.>`: ids, org paths, kinds and amounts,
never household or personal data. The relief service may add payloads here;
`ApplicationDrafted` is read by outreach (an intake's status) and only changes by a new version."""

from __future__ import annotations

from datetime import date

from ..contracts import ContractRegistry, EventPayload

registry = ContractRegistry()


@registry.register
class ApplicationDrafted(EventPayload):
    """A draft relief application was opened, e.g. from a hardship intake taken by outreach."""

    event_name = "union.relief.application.drafted"
    application_id: str
    intake_id: str | None  # the outreach intake it came from, if any
    member_id: str | None
    district: str
    kind: str  # living_assistance | major_illness | education | festival_condolence
    on: date


PUBLISHED: tuple[type[EventPayload], ...] = (ApplicationDrafted,)
