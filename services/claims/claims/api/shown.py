"""How a claim is shown: one shape (`ClaimOut`) for every read (a claim, a list, the payable
claims), money "3011.00" and days ISO."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ..app.handlers import Claims
from ..app.queries import claims_with_times
from ..domain.claim import Claim
from ..domain.events import Actor
from ..projections.claims_list import ClaimFilter, claim_ids

SHOWN = (  # the claim's own fields, as the state holds them
    "claim_id",
    "status",
    "member_id",
    "service_point",
    "plan_id",
    "year",
    "admitted_on",
    "discharged_on",
    "filed_on",
    "resubmitted_on",
    "major_disease",
    "documents",
    "claimed",
    "benefit",
    "out_of_pocket",
    "needs_approval",
    "assessed_on",
    "approved_on",
    "approved_automatically",
    "insuring_district",
    "paid_at",
    "paying_district",
    "paid_amount",
    "paid_on",
    "rejection_code",
    "rejection_reason",
    "returned_code",
    "returned_reason",
)


def claim_out(state: Claim, times: Sequence[datetime] = ()) -> dict[str, Any]:
    """The claim as its API shows it; `times`, when known, the instant of each of its events
    (a timeline step each: `at`, UTC)."""
    shown = {k: getattr(state, k) for k in SHOWN}
    rejected = state.status == "rejected"
    returned = state.status == "returned"
    shown |= {
        "invoices": [asdict(i) for i in state.invoices],
        "benefit_breakdown": _breakdown(state),
        "approving_officer": state.approved_by,
        "filed_by": _actor(state.filed_by),
        "approved_by": _actor(state.approved_by_actor),
        "paid_by": _actor(state.paid_by),
        "rejected_by": _actor(state.rejected_by),
        "rejected_on": state.closed_on if rejected else None,
        "returned_by": _actor(state.returned_by),
        "returned_on": state.closed_on if returned else None,
        "timeline": [
            {
                "what": step.what,
                "on": step.on,
                "at": times[index] if index < len(times) else None,
                "by": _actor(step.by),
                "code": step.code,
                "reason": step.reason,
            }
            for index, step in enumerate(state.timeline)
        ],
    }
    return jsonable(shown)  # type: ignore[no-any-return]


async def claim_page(c: Claims, query: ClaimFilter, page: int, size: int) -> dict[str, Any]:
    """One page of the claims `query` selects (`ClaimPage`), each as `GET /claims/{id}`."""
    total, ids = await claim_ids(c.store.engine, query, page, size)
    items = [claim_out(*claim) for claim in await claims_with_times(c.store, ids)]
    return {"total": total, "page": page, "size": size, "claims": items}


def _actor(actor: Actor | None) -> dict[str, str] | None:
    return None if actor is None else {"subject": actor.subject, "role": actor.role}


def _breakdown(state: Claim) -> dict[str, Any] | None:
    """The benefit's working: 起付线, tier by tier, lump sum, then each cap that bit."""
    a = state.assessment
    if a is None:
        return None
    return {
        "claimed": a.claimed,
        "deductible": a.deductible,
        "reimbursable": a.reimbursable,
        "tiers": [asdict(t) for t in a.tiers],
        "lump_sum": a.lump_sum,
        "caps_applied": [asdict(cap) for cap in a.caps],
        "capped_by": a.capped_by,
        "annual_cap": a.annual_cap,
        "used_before": a.used_before,
        "benefit": a.benefit,
        "out_of_pocket": a.out_of_pocket,
    }


def jsonable(value: Any) -> Any:
    """Dataclass fields as JSON: a decimal with two places at least ("3011.00", "0.655"), a
    day ISO, tuples as lists."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value == value.quantize(Decimal("0.01")) else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
