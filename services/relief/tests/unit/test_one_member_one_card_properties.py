"""One member, one hardship file, one card, one payment a month: whatever sequence of opening,
reviewing, closing, reopening files and monthly runs — and whatever the data holds (files
that got in before the rule, two cards of one member)."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from relief.app.subsidy_run import monthly_run
from relief.domain.events import FileNoted, MemberNoted
from relief.domain.hardship_file import (
    Assessment,
    HardshipFile,
    decide_close,
    decide_open,
    decide_review,
    evolve_file,
)
from relief.domain.member import (
    MemberRecord,
    decide_note_file,
    decide_note_member,
    evolve_member,
    require_member,
)
from relief.domain.subsidy import ActiveCard
from union_events.errors import Conflict, DomainError

from .fake_store import FakeStore
from .history import given as folded

D = Decimal
A = "zhoushan/dinghai"
ON = date(2026, 12, 20)
LINE = Assessment(D("1000.00"), D("1.3"), date(2026, 1, 1))  # 1,300.00 a head
MEMBERS = ("m1", "m2")
MONTHS = ("2026-10", "2026-11", "2026-12")
incomes = st.sampled_from(["500.00", "1299.99", "1300.00", "5000.00"])


@dataclass
class World:
    """Relief's streams as the handlers use them: member records, files, subsidy streams."""

    members: dict[str, MemberRecord] = field(default_factory=dict)
    files: dict[str, HardshipFile] = field(default_factory=dict)
    store: FakeStore = field(default_factory=FakeStore)

    def __post_init__(self) -> None:
        for m in MEMBERS:
            noted = decide_note_member(
                MemberRecord(), member_id=m, status="active", district=A, on=date(2026, 1, 1)
            )
            self.members[m] = folded(MemberRecord(), evolve_member, noted)

    def apply(self, file_id: str, events: list) -> None:
        self.files[file_id] = folded(self.files.get(file_id, HardshipFile()), evolve_file, events)

    def open(self, member: str, income: str, *, guarded: bool = True) -> None:
        """`guarded`: through the rule (the handler); else as data from before the rule."""
        file_id = f"f{len(self.files)}"
        record = self.members[member]
        if guarded:
            open_ids = [f for f in record.file_ids if self.files[f].status == "open"]
            noted = decide_note_file(
                record, member_id=member, file_id=file_id, open_file_ids=open_ids
            )
            self.members[member] = folded(record, evolve_member, noted)
        else:
            self.members[member] = folded(record, evolve_member, [FileNoted(file_id)])
        self.apply(file_id, decide_open(
            HardshipFile(), file_id=file_id, member_id=member, district=A, category="deep",
            household_size=1, monthly_income=D(income), household_sealed="", opened_by=A,
            assessment=LINE,
        ))  # fmt: skip

    def review(self, index: int, income: str) -> None:
        file_id = f"f{index % max(len(self.files), 1)}"
        events = decide_review(
            self.files.get(file_id, HardshipFile()), category="deep", household_size=1,
            monthly_income=D(income), household_sealed="", assessment=LINE,
        )  # fmt: skip
        self.apply(file_id, events)

    def close(self, index: int) -> None:
        file_id = f"f{index % max(len(self.files), 1)}"
        state = self.files.get(file_id, HardshipFile())
        self.apply(file_id, decide_close(state, reason="x", on=ON))

    def cards(self) -> list[ActiveCard]:
        return sorted(
            (
                ActiveCard(f.card_id, f.file_id, f.member_id, f.district, date(2026, 1, 1))
                for f in self.files.values()
                if f.status == "open" and f.card_id
            ),
            key=lambda c: c.card_id,
        )

    def run(self, month: str) -> None:
        asyncio.run(monthly_run(self.store, self.cards(), month, D("300.00"), ON))

    def paid(self) -> Counter[tuple[str, str]]:
        return Counter(
            (e.data["member_id"], e.data["month"])
            for events in self.store.streams.values()
            for e in events
        )


command = st.one_of(
    st.tuples(st.just("open"), st.sampled_from(MEMBERS), incomes),
    st.tuples(st.just("review"), st.integers(0, 9), incomes),
    st.tuples(st.just("close"), st.integers(0, 9)),
    st.tuples(st.just("run"), st.sampled_from(MONTHS)),
)


def play(world: World, steps: list[tuple], legacy: frozenset[int] = frozenset()) -> None:
    for i, (name, *args) in enumerate(steps):
        try:
            if name == "open":  # also a reopen, once the member's file is closed
                world.open(*args, guarded=i not in legacy)
            elif name == "review":
                world.review(*args)
            elif name == "close":
                world.close(*args)
            else:
                world.run(*args)
        except (Conflict, DomainError):
            continue  # refused: nothing changed


@settings(max_examples=200, deadline=None)
@given(st.lists(command, max_size=30))
def test_a_member_has_at_most_one_open_file_and_one_active_card_whatever_the_sequence(steps):
    world = World()
    play(world, steps)
    for member in MEMBERS:
        mine = [f for f in world.files.values() if f.member_id == member and f.status == "open"]
        assert len(mine) <= 1
        assert sum(1 for f in mine if f.card_id) <= 1


@settings(max_examples=200, deadline=None)
@given(st.lists(command, max_size=30), st.frozensets(st.integers(0, 29), max_size=15))
def test_a_member_is_paid_at_most_once_a_month_whatever_the_sequence(steps, legacy):
    """`legacy` opens go past the rule, as files that got in before it: still one payment."""
    world = World()
    play(world, steps, legacy)
    for month in MONTHS:
        world.run(month)  # and every month once more at the end
    paid = world.paid()
    assert all(count == 1 for count in paid.values())
    for member in MEMBERS:
        carded = any(f.member_id == member and f.cards_issued for f in world.files.values())
        for month in MONTHS:
            assert paid[(member, month)] <= (1 if carded else 0)


def test_a_second_file_for_the_same_member_is_refused_naming_the_open_one():
    world = World()
    world.open("m1", "500.00")
    with pytest.raises(Conflict) as refused:
        world.open("m1", "500.00")
    assert (refused.value.status, refused.value.code) == (409, "file_exists")
    assert "f0" in refused.value.message and refused.value.details["file_id"] == "f0"
    world.close(0)
    world.open("m1", "500.00")  # reopened after closing
    assert world.files["f1"].status == "open"


def test_files_and_payments_are_for_members_relief_has_heard_of():
    with pytest.raises(DomainError) as unknown:
        require_member(MemberRecord(), "not-a-member")
    assert (unknown.value.status, unknown.value.code) == (422, "unknown_member")
    left = folded(MemberRecord(), evolve_member, [MemberNoted("m1", "left", A, ON)])
    with pytest.raises(DomainError) as gone:
        decide_note_file(left, member_id="m1", file_id="f1", open_file_ids=[])
    assert gone.value.code == "member_left"


def test_hearing_the_same_member_fact_again_changes_nothing():
    record = MemberRecord()
    heard = decide_note_member(record, member_id="m1", status="active", district=A, on=ON)
    record = folded(record, evolve_member, heard)
    assert decide_note_member(record, member_id="m1", status="active", district=A, on=ON) == []
    erased = folded(record, evolve_member, [MemberNoted("m1", "erased", None, ON)])
    assert decide_note_member(erased, member_id="m1", status="active", district=A, on=ON) == []
