"""Hardship files: opened, reviewed (card issued or withdrawn), visited, moved, erased, closed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from relief.domain.events import (
    CardIssued,
    CardWithdrawn,
    FileClosed,
    FileMoved,
    FileOpened,
    FileReviewed,
    HouseholdErased,
    VisitRecorded,
)
from relief.domain.hardship_file import (
    Assessment,
    HardshipFile,
    decide_close,
    decide_erase,
    decide_move,
    decide_open,
    decide_review,
    decide_visit,
    evolve_file,
)
from union_events.errors import Conflict, DomainError, NotFound

from .history import given

D = Decimal
ON = date(2026, 11, 23)
STANDARD = Assessment(D("770.00"), D("1.3"), ON)
OPENED = FileOpened(
    "f1",
    "m1",
    "zhoushan/dinghai",
    "relative",
    3,
    D("2400.00"),
    "s",
    "zhoushan/dinghai/u1",
    date(2026, 1, 5),
    date(2027, 1, 5),
)
CARD = CardIssued("f1-1", D("800.00"), D("770.00"), D("1.3"), date(2026, 1, 5))


def file(*events) -> HardshipFile:
    return given(HardshipFile(), evolve_file, [OPENED, *events])


def review(state, income, size=3, assessment=STANDARD):
    return decide_review(
        state,
        category="relative",
        household_size=size,
        monthly_income=D(income),
        household_sealed="s2",
        assessment=assessment,
    )


def test_a_review_with_income_above_the_line_withdraws_the_card():
    events = review(file(CARD), "3600.00")
    assert events == [
        FileReviewed("relative", 3, D("3600.00"), "s2", ON, date(2027, 11, 23)),
        CardWithdrawn("f1-1", "not_eligible", ON),
    ]


def test_a_review_still_below_the_line_keeps_the_card_and_moves_the_due_date():
    events = review(file(CARD), "2400.00")
    assert [type(e) for e in events] == [FileReviewed]


def test_a_review_below_the_line_issues_a_second_card_after_a_withdrawal():
    withdrawn = CardWithdrawn("f1-1", "not_eligible", date(2026, 6, 1))
    events = review(file(CARD, withdrawn), "900.00")
    assert events[-1] == CardIssued("f1-2", D("300.00"), D("770.00"), D("1.3"), ON)


def test_no_standard_for_the_district_refuses_the_assessment():
    with pytest.raises(DomainError) as refused:
        review(file(), "900.00", assessment=Assessment(None, D("1.3"), ON))
    assert refused.value.code == "no_standard"


def test_an_unknown_category_or_an_empty_household_is_refused():
    with pytest.raises(DomainError, match="category"):
        decide_open(
            HardshipFile(),
            file_id="f",
            member_id="m",
            district="zhoushan/dinghai",
            category="poor",
            household_size=1,
            monthly_income=D("1"),
            household_sealed="",
            opened_by="x",
            assessment=STANDARD,
        )
    with pytest.raises(DomainError, match="household"):
        review(file(), "900.00", size=0)


def test_closing_withdraws_the_active_card_and_needs_a_reason():
    assert decide_close(file(CARD), reason="moved away", on=ON) == [
        CardWithdrawn("f1-1", "file_closed", ON),
        FileClosed("moved away", ON),
    ]
    with pytest.raises(DomainError):
        decide_close(file(), reason="  ", on=ON)


def test_a_closed_file_takes_no_review_and_an_unknown_one_is_not_found():
    with pytest.raises(Conflict):
        review(file(FileClosed("x", ON)), "100.00")
    with pytest.raises(NotFound):
        review(HardshipFile(), "100.00")


def test_visits_are_for_files_with_an_active_card():
    assert decide_visit(file(CARD), on=ON, by="officer", today=ON) == [VisitRecorded(ON, "officer")]
    with pytest.raises(Conflict):
        decide_visit(file(), on=ON, by="officer", today=ON)


@pytest.mark.parametrize(
    ("on", "code"),
    [
        (date(2026, 11, 24), "visit_in_future"),  # the day after today
        (date(2020, 1, 1), "visit_before_card"),  # before the card was issued (5 Jan 2026)
        (date(2026, 6, 30), "visit_before_last"),  # before the visit of 1 July
    ],
)
def test_a_visit_in_the_future_or_before_what_is_recorded_is_refused(on, code):
    visited = file(CARD, VisitRecorded(date(2026, 7, 1), "officer"))
    with pytest.raises(DomainError) as refused:
        decide_visit(visited, on=on, by="officer", today=ON)
    assert (refused.value.status, refused.value.code) == (422, code)
    assert on.isoformat() in refused.value.message


def test_a_visit_on_the_day_of_the_last_one_or_today_is_taken():
    visited = file(CARD, VisitRecorded(date(2026, 7, 1), "officer"))
    assert decide_visit(visited, on=date(2026, 7, 1), by="o", today=ON)
    assert decide_visit(visited, on=ON, by="o", today=ON) == [VisitRecorded(ON, "o")]


def test_a_transfer_moves_an_open_file_once():
    assert decide_move(file(), to_district="zhoushan/putuo", on=ON) == [
        FileMoved("zhoushan/dinghai", "zhoushan/putuo", ON)
    ]
    moved = file(FileMoved("zhoushan/dinghai", "zhoushan/putuo", ON))
    assert decide_move(moved, to_district="zhoushan/putuo", on=ON) == []


def test_an_erasure_marks_the_household_gone_once():
    assert decide_erase(file(), on=ON) == [HouseholdErased(ON)]
    erased = file(HouseholdErased(ON))
    assert erased.household_sealed == "" and decide_erase(erased, on=ON) == []
