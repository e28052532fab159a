"""What other services see of the relief log: ids, org paths, kinds and amounts; never the
household (sealed or not), incomes, categories, notes or a rejection's free text."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from union_events.published import relief as published


def _pick(data: Mapping[str, Any], *fields: str, **extra: Any) -> dict[str, Any]:
    return {**{name: data[name] for name in fields}, **extra}


def public_view(
    stream_id: str, event_type: str, data: Mapping[str, Any]
) -> tuple[str, Mapping[str, Any]] | None:
    kind, _, rest = stream_id.partition("-")
    name = event_type.removeprefix("union.relief.").rsplit(".", 1)[0]
    if name == "application.drafted":
        fields = ("application_id", "intake_id", "member_id", "district", "kind", "on")
        return published.ApplicationDrafted.event_type(), _pick(data, *fields)
    if name == "application.recipient_set":
        shown = _pick(data, "member_id", "on", application_id=rest)
        return published.ApplicationRecipientSet.event_type(), shown
    if name == "application.submitted":
        shown = _pick(data, "amount", "on", application_id=rest)
        return published.ApplicationSubmitted.event_type(), shown
    if name == "application.approved":
        return published.GrantApproved.event_type(), _pick(
            data, "amount", "on", application_id=rest
        )
    if name == "application.rejected":
        return published.GrantRejected.event_type(), _pick(data, "on", application_id=rest)
    if name == "application.disbursed":
        shown = _pick(data, "amount", "year", "on", application_id=rest)
        return published.GrantDisbursed.event_type(), shown
    if name == "file.card_issued":
        shown = _pick(data, "card_id", "on", file_id=rest)
        return published.HardshipCardIssued.event_type(), shown
    if name == "file.card_withdrawn":
        shown = _pick(data, "card_id", "reason", "on", file_id=rest)
        return published.HardshipCardWithdrawn.event_type(), shown
    if name == "subsidy.paid":
        fields = ("card_id", "member_id", "district", "month", "amount", "on")
        return published.SubsidyPaid.event_type(), _pick(data, *fields)
    if name == "illness.flagged" and kind == "illness":
        member_id, _, year = rest.rpartition("-")
        shown = _pick(
            data, "application_id", "total", "threshold", member_id=member_id, year=int(year)
        )
        return published.MajorIllnessCaseOpened.event_type(), shown
    return None  # files, standards, budgets, visits, costs noted: relief's own business
