"""The monthly run pays each member with an active card once per month: rerun, crash
half-way, run again; a month that has not begun is refused."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from relief.app.subsidy_run import monthly_run
from relief.domain.subsidy import ActiveCard
from union_events.errors import DomainError

from .fake_store import Crash, FakeStore

ON = date(2026, 12, 15)  # every month run here has begun


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


def paid_per_card(store: FakeStore) -> Counter[tuple[str, str]]:  # one member per card here
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


def test_a_month_that_has_not_begun_is_refused_in_words():
    store = FakeStore()
    with pytest.raises(DomainError) as refused:
        asyncio.run(monthly_run(store, cards(3), "2027-06", Decimal("300.00"), date(2026, 12, 1)))
    assert (refused.value.status, refused.value.code) == (422, "month_not_begun")
    assert "June 2027 has not begun" in refused.value.message
    assert "1 December 2026" in refused.value.message
    assert store.streams == {}


def test_the_month_is_paid_from_its_first_day():
    counts = asyncio.run(
        monthly_run(FakeStore(), cards(2), "2026-12", Decimal("300.00"), date(2026, 12, 1))
    )
    assert counts.paid == 2


def test_two_cards_of_one_member_are_paid_once_a_month():
    store = FakeStore()
    twice = [
        ActiveCard("f1-1", "f1", "m1", "zhoushan/dinghai", date(2026, 3, 1)),
        ActiveCard("f2-1", "f2", "m1", "zhoushan/dinghai", date(2026, 3, 1)),
    ]
    first = run(store, twice, "2026-11")
    assert (first.cards, first.paid, first.skipped) == (2, 1, 1)
    assert list(store.streams) == ["subsidy-m1-2026-11"]


def test_a_month_paid_under_the_card_streams_of_before_is_not_paid_again():
    store = FakeStore()
    store.streams["subsidy-f0-1-2026-11"] = [object()]  # type: ignore[list-item]  # m0, paid
    second_card_of_m0 = ActiveCard("f9-1", "f9", "m0", "zhoushan/dinghai", date(2026, 3, 1))
    again = run(store, [*cards(2), second_card_of_m0], "2026-11")
    assert (again.paid, again.skipped) == (1, 2)  # m1 only
    assert "subsidy-m1-2026-11" in store.streams and "subsidy-m0-2026-11" not in store.streams
