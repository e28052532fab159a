"""Out-of-pocket costs per member and year: past the threshold, one major-illness case."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from relief.domain.events import MajorIllnessFlagged, OutOfPocketNoted
from relief.domain.illness import Illness, decide_note_cost, evolve_illness

D = Decimal
THRESHOLD = D("50000.00")


def note(state, claim_id, amount):
    events = decide_note_cost(
        state,
        claim_id=claim_id,
        amount=D(amount),
        district="z/d",
        threshold=THRESHOLD,
        case_id="case",
    )
    for event in events:
        state = evolve_illness(state, event)
    return state, events


def test_the_case_opens_when_the_total_passes_the_threshold():
    state, _ = note(Illness(), "c1", "30000.00")
    state, at = note(state, "c2", "20000.00")
    assert at == [OutOfPocketNoted("c2", D("20000.00"), "z/d")]  # at the threshold: not past
    _, past = note(state, "c3", "0.01")
    assert past[-1] == MajorIllnessFlagged("case", D("50000.01"), THRESHOLD)


def test_the_same_claim_heard_again_counts_once():
    state, _ = note(Illness(), "c1", "40000.00")
    state, again = note(state, "c1", "40000.00")
    assert again == [] and state.total == D("40000.00")


@given(st.lists(st.tuples(st.integers(0, 20), st.integers(1, 4_000_000)), max_size=40))
def test_at_most_one_case_per_member_and_year_whatever_is_heard(heard):
    state, flagged = Illness(), 0
    for claim, fen in heard:
        state, events = note(state, f"c{claim}", str(D(fen) / 100))
        flagged += sum(isinstance(e, MajorIllnessFlagged) for e in events)
    assert flagged == (1 if state.total > THRESHOLD else 0)
