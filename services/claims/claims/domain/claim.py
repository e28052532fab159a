"""A claim (stream `claim-<id>`): its state, `evolve_claim`, and every `decide_*` in one place.

filed → (awaiting_eligibility) → assessed → approved (automatically under the threshold, else by
a district officer) → paid at a service point; or rejected with a coded reason, or returned to
the filer for correction and resubmitted. Each decision lives in a module of its own; this one
gathers them.
"""

from __future__ import annotations

from .assessment import AUTO, decide_approve, decide_eligibility
from .events import ClaimEvent
from .filing import decide_file, decide_resubmit
from .payment import REJECTION_CODES, RETURN_REASONS, decide_pay, decide_reject, decide_return
from .state import STATUSES, Claim, evolve_claim

__all__ = [
    "AUTO",
    "REJECTION_CODES",
    "RETURN_REASONS",
    "STATUSES",
    "Claim",
    "ClaimEvent",
    "decide_approve",
    "decide_eligibility",
    "decide_file",
    "decide_pay",
    "decide_reject",
    "decide_resubmit",
    "decide_return",
    "evolve_claim",
]
