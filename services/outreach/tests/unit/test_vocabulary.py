"""The checks of what clerks type in: org paths, hours, lists, money, free text."""

from __future__ import annotations

from decimal import Decimal

import pytest
from outreach.domain.vocabulary import (
    AMENITIES,
    district_of,
    free_text,
    many_of,
    opening_hours,
    org_path,
    yuan,
)
from union_events.errors import DomainError


def test_a_point_path_names_its_district():
    assert district_of("zhoushan/dinghai/ferry-square") == "zhoushan/dinghai"


@pytest.mark.parametrize("path", ["zhoushan/dinghai", "Zhoushan/a/b", "a//b", "a/b/c/d", "a/b/-c"])
def test_bad_point_paths_are_refused(path):
    with pytest.raises(DomainError) as refused:
        org_path(path, 3, "service point")
    assert refused.value.code == "invalid_org_path"


def test_hours_come_back_in_weekday_order():
    hours = {"sat": "09:00-12:00", "mon": "08:00-18:00"}
    assert opening_hours(hours) == ("mon 08:00-18:00", "sat 09:00-12:00")


@pytest.mark.parametrize(
    ("hours", "code"),
    [
        ({"mon": "18:00-08:00"}, "invalid_hours"),
        ({"mon": "8-18"}, "invalid_hours"),
        ({"mon": "08:00-24:30"}, "invalid_hours"),
        ({"monday": "08:00-18:00"}, "invalid_weekday"),
    ],
)
def test_bad_hours_are_refused(hours, code):
    with pytest.raises(DomainError) as refused:
        opening_hours(hours)
    assert refused.value.code == code


def test_lists_are_checked_and_deduplicated():
    assert many_of(["wifi", "hot_water", "wifi"], AMENITIES, "amenity") == ("hot_water", "wifi")
    with pytest.raises(DomainError, match="unknown amenity 'sauna'"):
        many_of(["sauna"], AMENITIES, "amenity")


@pytest.mark.parametrize(
    ("text", "amount"), [("3011", Decimal("3011.00")), ("0.5", Decimal("0.50"))]
)
def test_money_is_a_decimal_string_with_two_places(text, amount):
    assert yuan(text) == amount and str(yuan(text)) == f"{amount:.2f}"


@pytest.mark.parametrize("text", ["1e3", "1.234", "-5.00", "0.00", "abc"])
def test_bad_money_is_refused(text):
    with pytest.raises(DomainError) as refused:
        yuan(text)
    assert refused.value.code == "invalid_amount"


@pytest.mark.parametrize("text", ["call 13812345678 back", "ID 330902199005170012 lost"])
def test_free_text_refuses_phone_and_id_numbers(text):
    with pytest.raises(DomainError) as refused:
        free_text(text, "summary")
    assert refused.value.code == "personal_data_in_text"
