"""A district's relief budget per year and kind (stream `budget-<district>-<year>-<kind>`).

Never overspent: a disbursement commits funds on this stream at the version read, so of two
concurrent disbursements the second is decided again on the fresh state (and refused if it no
longer fits).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from union_events.errors import Conflict, DomainError
from union_events.money import ZERO, yuan

from .application import check_kind
from .events import BudgetEvent, BudgetSet, FundsCommitted


@dataclass(frozen=True)
class Budget:
    total: Decimal | None = None  # None: no budget set
    committed: Decimal = ZERO
    applications: frozenset[str] = frozenset()

    @property
    def left(self) -> Decimal:
        return (self.total or ZERO) - self.committed


def evolve_budget(state: Budget, event: BudgetEvent) -> Budget:
    match event:
        case BudgetSet():
            return replace(state, total=event.amount)
        case FundsCommitted():
            return replace(
                state,
                committed=state.committed + event.amount,
                applications=state.applications | {event.application_id},
            )
    return state


def decide_set_budget(
    state: Budget, *, district: str, year: int, kind: str, amount: Decimal
) -> list[BudgetEvent]:
    total = yuan(amount)
    if total < ZERO:
        raise DomainError("a budget cannot be negative", code="invalid_amount")
    if total < state.committed:
        raise Conflict(
            f"{state.committed} is committed already; the budget cannot go below it",
            code="below_committed",
        )
    return [BudgetSet(district, year, check_kind(kind), total)]


def decide_commit(state: Budget, *, application_id: str, amount: Decimal) -> list[BudgetEvent]:
    if application_id in state.applications:
        return []  # committed already (a retried disbursement)
    if state.total is None:
        raise Conflict("no budget is set for this district, year and kind", code="no_budget")
    if state.committed + amount > state.total:
        raise Conflict(
            f"the budget has {state.left} left; {amount} would overspend it",
            code="budget_exceeded",
            left=str(state.left),
        )
    return [FundsCommitted(application_id, amount)]
