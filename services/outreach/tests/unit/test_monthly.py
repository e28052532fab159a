"""Every fixed roving point has at least one held session a month: who missed it."""

from __future__ import annotations

from datetime import date

import pytest
from outreach.domain.monthly import HeldSession, PointFact, month_bounds, points_missing_sessions

A, B, C = "zhoushan/dinghai/a", "zhoushan/dinghai/b", "zhoushan/dinghai/c"
OLD = date(2026, 1, 1)


@pytest.mark.parametrize(
    ("points", "held", "missing"),
    [
        # no points, nothing missed
        ([], [], []),
        # a held session in the month keeps a point off the list
        ([PointFact(A, "roving_point", OLD)], [HeldSession(A, date(2026, 10, 31))], []),
        # a point with no session at all is named
        ([PointFact(A, "roving_point", OLD)], [], [A]),
        # a session in the month before or after does not count
        (
            [PointFact(A, "roving_point", OLD)],
            [HeldSession(A, date(2026, 9, 30)), HeldSession(A, date(2026, 11, 1))],
            [A],
        ),
        # another point's session does not count; names come sorted
        (
            [PointFact(C, "roving_point", OLD), PointFact(A, "roving_point", OLD)],
            [HeldSession(B, date(2026, 10, 5))],
            [A, C],
        ),
        # stations and workers' homes are not held to the rule
        ([PointFact(A, "station", OLD), PointFact(B, "workers_home", OLD)], [], []),
        # a point registered after the month is not late for it; one registered in it is
        (
            [
                PointFact(A, "roving_point", date(2026, 11, 2)),
                PointFact(B, "roving_point", date(2026, 10, 20)),
            ],
            [],
            [B],
        ),
        # a closed point is not held to the rule
        ([PointFact(A, "roving_point", OLD, open=False)], [], []),
    ],
)
def test_points_missing_sessions_in_october(points, held, missing):
    assert points_missing_sessions(points, held, "2026-10") == missing


@pytest.mark.parametrize(
    ("month", "bounds"),
    [
        ("2026-02", (date(2026, 2, 1), date(2026, 2, 28))),
        ("2028-02", (date(2028, 2, 1), date(2028, 2, 29))),
        ("2026-12", (date(2026, 12, 1), date(2026, 12, 31))),
    ],
)
def test_month_bounds(month, bounds):
    assert month_bounds(month) == bounds
