"""Who may become a member: 16 or over on the day, with a Chinese mobile number."""

from __future__ import annotations

from datetime import date

import pytest
from members.domain.national_id import make_national_id
from members.domain.person import age_on, check_working_age, normalize_phone
from union_events.errors import DomainError

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (date(2010, 11, 23), TODAY, 16),
        (date(2010, 11, 24), TODAY, 15),
        (date(2008, 2, 29), date(2024, 2, 28), 15),
        (date(2008, 2, 29), date(2024, 2, 29), 16),
        (date(2008, 2, 29), date(2025, 3, 1), 17),
    ],
)
def test_age_counts_whole_years_to_the_day(born: date, day: date, age: int) -> None:
    assert age_on(born, day) == age


def test_a_sixteen_year_old_may_register_on_their_birthday() -> None:
    check_working_age(make_national_id("330902", date(2010, 11, 23), 1), TODAY)


@pytest.mark.parametrize("born", [date(2010, 11, 24), date(2015, 6, 1), date(2026, 1, 1)])
def test_a_person_under_sixteen_is_refused_in_words_without_the_number(born: date) -> None:
    number = make_national_id("330902", born, 1)
    with pytest.raises(DomainError) as refused:
        check_working_age(number, TODAY)
    assert (refused.value.status, refused.value.code) == (422, "under_working_age")
    assert "16" in refused.value.message and number not in refused.value.message


@pytest.mark.parametrize(
    ("given", "normalized"),
    [
        ("13800000000", "13800000000"),
        (" 138 0000 0000 ", "13800000000"),
        ("138-0000-0000", "13800000000"),
        ("+86 138 0000 0000", "13800000000"),
        ("+86-19912345678", "19912345678"),
        ("0086 13800000000", "13800000000"),
        ("8613800000000", "13800000000"),
        ("１３８００００００００", "13800000000"),  # full-width digits
    ],
)
def test_a_mobile_number_is_normalized_to_eleven_digits(given: str, normalized: str) -> None:
    assert normalize_phone(given) == normalized


@pytest.mark.parametrize(
    "phone",
    ["abcde", "12800000000", "1380000000", "138000000001", "05801234567", "+1 13800000000", ""],
)
def test_anything_but_a_chinese_mobile_number_is_refused_with_the_rule_in_words(
    phone: str,
) -> None:
    with pytest.raises(DomainError) as refused:
        normalize_phone(phone)
    assert (refused.value.status, refused.value.code) == (422, "invalid_phone")
    assert "11 digits" in refused.value.message
