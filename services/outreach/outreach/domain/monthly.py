"""The monthly rule of roving service: every fixed roving point (巡回服务点) has at least one
held session each month. A report names the points that missed a month."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class PointFact:
    point: str
    kind: str
    registered_on: date
    open: bool = True  # a point closed now is not held to the rule


@dataclass(frozen=True)
class HeldSession:
    point: str
    on: date


def month_bounds(month: str) -> tuple[date, date]:
    """'2026-10' → (2026-10-01, 2026-10-31)."""
    first = date.fromisoformat(f"{month}-01")
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, date.fromordinal(following.toordinal() - 1)


def points_missing_sessions(
    points: Iterable[PointFact], held_sessions: Iterable[HeldSession], month: str
) -> list[str]:
    """The open fixed roving points, registered by the month's end, with no held session in it."""
    first, last = month_bounds(month)
    held = {s.point for s in held_sessions if first <= s.on <= last}
    return sorted(
        p.point
        for p in points
        if p.kind == "roving_point" and p.open and p.registered_on <= last and p.point not in held
    )
