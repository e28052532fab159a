"""The national ID number (身份证号): length, characters, birth date, check digit."""

from __future__ import annotations

from datetime import date

import pytest
from members.domain.national_id import (
    InvalidNationalId,
    check_char,
    make_national_id,
    validate_national_id,
)
from union_events.testing.people import national_id

TODAY = date(2026, 11, 23)
VALID = make_national_id("330902", date(1990, 5, 17), 1)


@pytest.mark.parametrize(
    ("given", "normalized"),
    [
        ("11010519491231002X", "11010519491231002X"),  # the standard's own example
        ("11010519491231002x", "11010519491231002X"),  # lower-case x is accepted
        ("  11010519491231002X\n", "11010519491231002X"),  # surrounding blanks trimmed
        (VALID, VALID),
        (make_national_id("110105", TODAY, 999), make_national_id("110105", TODAY, 999)),
    ],
)
def test_a_valid_number_is_returned_normalized(given: str, normalized: str) -> None:
    assert validate_national_id(given, TODAY) == normalized


def _with(number: str, at: int, char: str) -> str:
    return number[:at] + char + number[at + 1 :]


def _resigned(first17: str) -> str:
    return first17 + check_char(first17)


@pytest.mark.parametrize(
    ("given", "reason", "words"),
    [
        ("", "wrong_length", "18 characters"),
        (VALID[:-1], "wrong_length", "this one has 17"),
        (VALID + "1", "wrong_length", "this one has 19"),
        (_with(VALID, 3, "A"), "bad_characters", "17 digits"),
        (_with(VALID, 5, "X"), "bad_characters", "17 digits"),  # X only as the check character
        (_with(VALID, 17, "Y"), "bad_characters", "digit or X"),
        (_with(VALID, 2, "３"), "bad_characters", "17 digits"),  # a full-width digit
        (_resigned("33090219901332001"), "impossible_birth_date", "characters 7-14"),  # month 13
        (_resigned("33090219900230001"), "impossible_birth_date", "not a possible date"),
        (_resigned("33090218991231001"), "impossible_birth_date", "not a possible date"),
        (_resigned("33090220261124001"), "birth_date_in_future", "in the future"),
        (_with(VALID, 17, "8" if VALID[17] != "8" else "9"), "check_digit_mismatch", "check"),
        (_with(VALID, 15, "9" if VALID[15] != "9" else "8"), "check_digit_mismatch", "mistyped"),
    ],
)
def test_an_invalid_number_is_refused_with_a_reason_a_clerk_understands(
    given: str, reason: str, words: str
) -> None:
    with pytest.raises(InvalidNationalId) as refused:
        validate_national_id(given, TODAY)
    assert (refused.value.status, refused.value.code) == (422, "invalid_national_id")
    assert refused.value.details == {"reason": reason}
    assert words in refused.value.message


def test_the_refusal_never_repeats_the_number() -> None:
    bad = _with(VALID, 17, "8" if VALID[17] != "8" else "9")
    with pytest.raises(InvalidNationalId) as refused:
        validate_national_id(bad, TODAY)
    assert bad not in str(refused.value) and bad[:14] not in str(refused.value)


def test_made_numbers_are_valid_and_distinct_beyond_a_thousand_per_day() -> None:
    made = [make_national_id("330902", date(1995, 1, 1), i) for i in range(0, 12_000, 7)]
    assert len(set(made)) == len(made)
    assert all(validate_national_id(n, TODAY) == n for n in made)


@pytest.mark.parametrize(("region", "sequence"), [("33090", 1), ("33090a", 1), ("330902", -1)])
def test_making_a_number_from_bad_parts_is_a_programming_error(region: str, sequence: int) -> None:
    with pytest.raises(ValueError):
        make_national_id(region, date(1990, 1, 1), sequence)


def test_the_toolkits_test_numbers_are_the_numbers_members_makes_and_accepts() -> None:
    made = [(i, date(1950, 1, 1 + i % 28)) for i in range(0, 12_000, 7)]
    numbers = [national_id(i, born, "330903") for i, born in made]
    assert numbers == [make_national_id("330903", born, i) for i, born in made]
    assert all(validate_national_id(n, TODAY) == n for n in numbers)
