"""The checks of what clerks type in: org paths (the platform's one grammar), hours, lists,
money, free text."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from outreach.domain import campaigns, intake, points
from outreach.domain.campaigns import Campaign
from outreach.domain.intake import Intake, Requester
from outreach.domain.points import Point
from outreach.domain.vocabulary import AMENITIES, free_text, many_of, opening_hours, yuan
from union_events.errors import DomainError
from union_events.orgs import RULE

DAY = date(2026, 10, 10)


def register(path: str) -> points.PointRegistered:
    [event] = points.decide_register(
        Point(), point=path, name="x", kind="roving_point", amenities=(), hours={}, today=DAY
    )
    return event


@pytest.mark.parametrize(
    ("path", "district"),
    [
        ("zhoushan/dinghai/ferry-square", "zhoushan/dinghai"),
        ("zhoushan/xin-qu/fishery_co", "zhoushan/xin-qu"),  # '-' and '_' as members accepts
    ],
)
def test_a_point_path_follows_the_one_grammar_and_names_its_district(path, district):
    event = register(path)
    assert (event.point, event.district) == (path, district)


@pytest.mark.parametrize("path", ["zhoushan/dinghai", "Zhoushan/a/b", "a//b", "a/b/c/d", "a/b/-c"])
def test_bad_point_paths_are_refused_in_the_one_grammar_s_words(path):
    with pytest.raises(DomainError) as refused:
        register(path)
    assert refused.value.code == "invalid_org_path"
    assert "service point" in refused.value.message
    assert RULE in refused.value.message or "must name a unit or service point" in (
        refused.value.message
    )


def test_districts_of_campaigns_and_intakes_follow_the_one_grammar():
    opened = campaigns.decide_open(
        Campaign(), campaign_id="c", name="x", kind="other", stock=1, categories=(),
        districts=["zhoushan/xin-qu"], starts_on=DAY, ends_on=DAY,
    )  # fmt: skip
    assert opened[0].districts == ("zhoushan/xin-qu",) and opened[0].city == "zhoushan"
    [recorded] = intake.decide_record(
        Intake(), intake_id="i", kind="other", channel="station", session=None,
        place="zhoushan/xin-qu/pier_2", district=None, requester=Requester(), summary="问路",
        today=DAY,
    )  # fmt: skip
    assert recorded.district == "zhoushan/xin-qu"
    with pytest.raises(DomainError) as refused:
        intake.decide_record(
            Intake(), intake_id="i", kind="other", channel="online", session=None, place=None,
            district="zhoushan/dinghai/center", requester=Requester(), summary="问路", today=DAY,
        )  # fmt: skip
    assert refused.value.code == "invalid_org_path" and "a district" in refused.value.message


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
