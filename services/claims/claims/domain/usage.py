"""A member's usage of the annual cap in one plan year: benefits reserved by claims when they are
assessed, released when a claim is rejected or returned (stream `usage-<member>-<plan>-<year>`).

A claim holds what it reserved until it is released, and a release gives back what the claim
holds, never more: releasing twice (a return, then a rejection) gives nothing back the second
time, so the usage is never negative, and the cap still binds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from union_events.money import ZERO, Money


@dataclass(frozen=True)
class Reserved:
    claim_id: str
    amount: Money


@dataclass(frozen=True)
class Released:
    claim_id: str
    amount: Money


UsageEntry = Reserved | Released


def held(entries: Iterable[UsageEntry]) -> dict[str, Decimal]:
    """What each claim holds of the annual cap now (claims holding nothing left out).

    Folded in order and never below zero per claim, so that a log written before releases were
    checked (a reservation released twice) still reads right."""
    holding: dict[str, Decimal] = {}
    for entry in entries:
        now = holding.get(entry.claim_id, ZERO)
        if isinstance(entry, Reserved):
            holding[entry.claim_id] = now + entry.amount
        else:
            holding[entry.claim_id] = max(now - entry.amount, ZERO)
    return {claim_id: amount for claim_id, amount in holding.items() if amount > 0}


def used(entries: Iterable[UsageEntry]) -> Decimal:
    """What the member has used of the year's annual cap: what their claims hold."""
    return sum(held(entries).values(), ZERO)


def release_of(entries: Iterable[UsageEntry], claim_id: str) -> Released | None:
    """What closing a claim gives back: what it holds, or None when it holds nothing (never
    assessed, rejected over the cap, or released already)."""
    amount = held(entries).get(claim_id)
    return Released(claim_id, amount) if amount else None
