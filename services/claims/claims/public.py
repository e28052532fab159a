"""What other services see of the claims log: the published claim events, and that a plan
year exists with the dates that bound it (`plan_year.set`). The rest of the rules, invoices,
usage and member facts stay inside, a rejection's free text too."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from union_events.published import claims as published

_CLAIM = "union.claims.claim."
RULES_SET = "union.claims.plan.rules_set.v1"  # app/facts.py; kept here to keep the edge apart


def public_view(
    stream_id: str, event_type: str, data: Mapping[str, Any]
) -> tuple[str, Mapping[str, Any]] | None:
    if event_type == RULES_SET:
        shown = {"plan_id": data["plan_id"], "year": data["year"]}
        for optional in ("enrolment_closes_on", "claims_close_on"):
            shown[optional] = data.get(optional)
        return published.PlanYearSet.event_type(), shown
    if not event_type.startswith(_CLAIM):
        return None
    claim_id = stream_id.removeprefix("claim-")
    name = event_type.removeprefix(_CLAIM).rsplit(".", 1)[0]
    if name == "filed":
        fields = ("member_id", "service_point", "plan_id", "year", "claimed", "filed_on")
        return published.ClaimFiled.event_type(), _pick(claim_id, data, fields)
    if name == "assessed":
        fields = (
            "member_id",
            "plan_id",
            "year",
            "claimed",
            "benefit",
            "out_of_pocket",
            "insuring_district",
            "needs_approval",
            "on",
        )
        return published.ClaimAssessed.event_type(), _pick(claim_id, data, fields)
    if name == "approved":
        return published.ClaimApproved.event_type(), _pick(claim_id, data, ("automatic", "on"))
    if name == "paid":
        fields = (
            "member_id",
            "plan_id",
            "year",
            "service_point",
            "paying_district",
            "insuring_district",
            "claimed",
            "out_of_pocket",
            "on",
        )
        shown = _pick(claim_id, data, fields) | {"benefit": data["amount"]}
        return published.ClaimPaid.event_type(), shown
    if name == "rejected":
        return published.ClaimRejected.event_type(), _pick(claim_id, data, ("code", "on"))
    return None  # eligibility_awaited, returned: the service's own business


def _pick(claim_id: str, data: Mapping[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {"claim_id": claim_id, **{name: data[name] for name in fields}}
