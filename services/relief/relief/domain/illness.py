"""Out-of-pocket medical costs per member and year (stream `illness-<member>-<year>`), from
claims paid: past the threshold a major-illness case is opened for review, once.

Each claim counts once whatever redeliveries happen (deduplicated on the claim id)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from union_events.money import ZERO

from .events import IllnessEvent, MajorIllnessFlagged, OutOfPocketNoted


@dataclass(frozen=True)
class Illness:
    total: Decimal = ZERO
    claims: frozenset[str] = frozenset()
    case_id: str | None = None


def evolve_illness(state: Illness, event: IllnessEvent) -> Illness:
    match event:
        case OutOfPocketNoted():
            return replace(
                state, total=state.total + event.amount, claims=state.claims | {event.claim_id}
            )
        case MajorIllnessFlagged():
            return replace(state, case_id=event.application_id)
    return state


def decide_note_cost(
    state: Illness,
    *,
    claim_id: str,
    amount: Decimal,
    district: str,
    threshold: Decimal,
    case_id: str,
) -> list[IllnessEvent]:
    """Note a paid claim's out-of-pocket cost; flag the case when the total passes the
    threshold (strictly above it) and none was flagged this year."""
    if claim_id in state.claims:
        return []
    noted = OutOfPocketNoted(claim_id, amount, district)
    after = evolve_illness(state, noted)
    if after.case_id is None and after.total > threshold:
        return [noted, MajorIllnessFlagged(case_id, after.total, threshold)]
    return [noted]
