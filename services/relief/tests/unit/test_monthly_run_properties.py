"""The monthly run pays each active card once per month: rerun, crash half-way, run again."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from relief.app.subsidy_run import monthly_run
from relief.domain.subsidy import ActiveCard

from .fake_store import Crash, FakeStore

ON = date(2026, 11, 1)


def cards(n: int, issued_late: frozenset[int] = frozenset()) -> list[ActiveCard]:
    return [
        ActiveCard(
            f"f{i}-1",
            f"f{i}",
            f"m{i}",
            "zhoushan/dinghai",
            date(2026, 12, 5) if i in issued_late else date(2026, 3, 1),
        )
        for i in range(n)
    ]


def paid_per_card(store: FakeStore) -> Counter[tuple[str, str]]:
    return Counter(
        (e.data["card_id"], e.data["month"]) for events in store.streams.values() for e in events
    )


def run(store, active, month):
    return asyncio.run(monthly_run(store, active, month, Decimal("300.00"), ON))


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(0, 25),
    crashes=st.lists(st.integers(0, 30), max_size=4),
    months=st.lists(st.sampled_from(["2026-10", "2026-11", "2026-12"]), min_size=1, max_size=4),
    late=st.frozensets(st.integers(0, 25), max_size=5),
)
def test_each_card_is_paid_once_per_month_whatever_runs_and_crashes(n, crashes, months, late):
    store, active = FakeStore(), cards(n, late)
    for crash_after in crashes:  # runs that die after some payments
        store.crash_after = crash_after
        try:
            run(store, active, months[0])
        except Crash:
            pass
    store.crash_after = None
    for month in months:  # and complete runs, some of them reruns
        run(store, active, month)
    paid = paid_per_card(store)
    for month in set(months):
        for card in active:
            due = card.since <= date(int(month[:4]), int(month[5:]), 28)
            assert paid[(card.card_id, month)] == (1 if due else 0)
    assert all(count == 1 for count in paid.values())


def test_a_rerun_reports_every_card_as_skipped():
    store, active = FakeStore(), cards(3)
    first = run(store, active, "2026-11")
    second = run(store, active, "2026-11")
    assert (first.paid, first.skipped) == (3, 0)
    assert (second.paid, second.skipped) == (0, 3)
    assert {e.data["amount"] for s in store.streams.values() for e in s} == {"300.00"}
