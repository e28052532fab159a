"""Who may pay: the insuring district's points under district pooling, the city's under city."""

from __future__ import annotations

from datetime import date

import pytest
from claims.domain.pooling import city_of, district_of, may_pay
from union_events.errors import DomainError

from .plans import INPATIENT

DINGHAI = "zhoushan/dinghai"
BEFORE, ON_THE_DAY, AFTER = date(2026, 4, 30), date(2026, 5, 1), date(2026, 11, 23)


@pytest.mark.parametrize(
    ("path", "district", "city"),
    [
        ("zhoushan/dinghai/center", DINGHAI, "zhoushan"),
        ("zhoushan/dinghai", DINGHAI, "zhoushan"),
        ("zhoushan/putuo/station-7/", "zhoushan/putuo", "zhoushan"),
    ],
)
def test_an_org_path_names_its_district_and_city(path: str, district: str, city: str) -> None:
    assert district_of(path) == district
    assert city_of(path) == city


@pytest.mark.parametrize("path", ["", "zhoushan", "zhoushan//center", "/"])
def test_a_path_without_a_district_has_none(path: str) -> None:
    with pytest.raises(DomainError) as raised:
        district_of(path)
    assert raised.value.code == "invalid_org_path"


@pytest.mark.parametrize(
    ("day", "service_point", "insuring_district", "allowed"),
    [
        (BEFORE, "zhoushan/dinghai/center", DINGHAI, True),
        (BEFORE, "zhoushan/dinghai/island-point", DINGHAI, True),
        (BEFORE, "zhoushan/putuo/center", DINGHAI, False),  # district pooling: own district only
        (ON_THE_DAY, "zhoushan/putuo/center", DINGHAI, True),  # city pooling from 1 May
        (AFTER, "zhoushan/putuo/center", DINGHAI, True),
        (AFTER, "zhoushan/dinghai/center", DINGHAI, True),
        (AFTER, "ningbo/haishu/center", DINGHAI, False),  # never another city
        (BEFORE, "ningbo/dinghai/center", DINGHAI, False),  # same district name, other city
    ],
)
def test_who_may_pay_depends_on_the_pooling_level_that_day(
    day: date, service_point: str, insuring_district: str, allowed: bool
) -> None:
    assert may_pay(INPATIENT, day, service_point, insuring_district) is allowed
