"""A plan year's rules: what makes them valid, and which pooling level is in force on a day."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from claims.domain.rules import (
    MajorDisease,
    PoolingPeriod,
    Tier,
    pooling_level_on,
    validate_rules,
)
from union_events.errors import DomainError

from .plans import INPATIENT

D = Decimal


def test_valid_rules_come_back_with_amounts_in_yuan_with_two_places() -> None:
    rules = validate_rules(
        replace(
            INPATIENT,
            plan_id=" inpatient ",
            deductible=D("500"),
            tiers=(Tier(D("5000"), D("0.5")), Tier(None, D("0.7"))),
            major_diseases=(MajorDisease(" cancer ", D("15000")),),
        )
    )
    assert rules == INPATIENT
    assert str(rules.deductible) == "500.00" and str(rules.tiers[0].up_to) == "5000.00"


def test_a_last_tier_may_be_bounded_and_a_plan_need_not_list_major_diseases() -> None:
    rules = replace(INPATIENT, tiers=(Tier(D("30000.00"), D("1")),), major_diseases=())
    assert validate_rules(rules) == rules


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (dict(plan_id=" "), "invalid_plan"),
        (dict(year=1999), "invalid_plan_year"),
        (dict(pooling=()), "no_pooling_period"),
        (dict(pooling=(PoolingPeriod("province", date(2026, 1, 1)),)), "invalid_pooling_level"),
        (dict(pooling=(PoolingPeriod("district", date(2026, 1, 2)),)), "pooling_starts_late"),
        (
            dict(
                pooling=(
                    PoolingPeriod("city", date(2026, 5, 1)),
                    PoolingPeriod("district", date(2026, 1, 1)),
                )
            ),
            "pooling_out_of_order",
        ),
        (
            dict(
                pooling=(
                    PoolingPeriod("district", date(2026, 1, 1)),
                    PoolingPeriod("city", date(2026, 1, 1)),
                )
            ),
            "pooling_out_of_order",
        ),
        (dict(tiers=()), "no_tiers"),
        (dict(tiers=(Tier(None, D("0.5")), Tier(D("5000"), D("0.7")))), "unbounded_tier_not_last"),
        (dict(tiers=(Tier(D("5000"), D("0.5")), Tier(D("4000"), D("0.7")))), "tiers_out_of_order"),
        (dict(tiers=(Tier(D("5000"), D("0.5")), Tier(D("5000"), D("0.7")))), "tiers_out_of_order"),
        (dict(tiers=(Tier(D("0"), D("0.5")),)), "tiers_out_of_order"),
        (dict(tiers=(Tier(None, D("0")),)), "invalid_ratio"),
        (dict(tiers=(Tier(None, D("1.01")),)), "invalid_ratio"),
        (dict(tiers=(Tier(None, D("-0.5")),)), "invalid_ratio"),
        (dict(tiers=(Tier(None, 0.5),)), "invalid_ratio"),
        (dict(tiers=(Tier(D("-5"), D("0.5")),)), "negative_amount"),
        (dict(deductible=D("-1")), "negative_amount"),
        (dict(auto_approve_below=D("-0.01")), "negative_amount"),
        (dict(deductible=500.0), "invalid_amount"),
        (dict(per_claim_cap=D("50000.01")), "per_claim_cap_above_annual_cap"),
        (dict(per_claim_cap=D("0"), annual_cap=D("0")), "invalid_cap"),
        (dict(deadline_days=0), "invalid_deadline"),
        (dict(deadline_days=-30), "invalid_deadline"),
        (dict(major_diseases=(MajorDisease("", D("1")),)), "invalid_major_disease"),
        (
            dict(major_diseases=(MajorDisease("c", D("1")), MajorDisease("c", D("2")))),
            "invalid_major_disease",
        ),
        (dict(major_diseases=(MajorDisease("c", D("-1")),)), "negative_amount"),
        (dict(required_documents=("discharge_record", "x_ray")), "unknown_document"),
    ],
)
def test_rules_that_cannot_hold_are_refused_with_a_code(change: dict[str, Any], code: str) -> None:
    with pytest.raises(DomainError) as raised:
        validate_rules(replace(INPATIENT, **change))
    assert (raised.value.code, raised.value.status) == (code, 422)


@pytest.mark.parametrize(
    ("day", "level"),
    [
        (date(2025, 12, 31), "district"),  # before the first period: the first period's level
        (date(2026, 1, 1), "district"),
        (date(2026, 4, 30), "district"),
        (date(2026, 5, 1), "city"),  # the district joined city pooling on 1 May
        (date(2026, 12, 31), "city"),
        (date(2027, 3, 31), "city"),  # claims for a year close in the next year
    ],
)
def test_the_pooling_level_is_the_one_of_the_period_in_force_that_day(
    day: date, level: str
) -> None:
    assert pooling_level_on(INPATIENT, day) == level


def test_pooling_for_a_plan_without_periods_is_refused() -> None:
    with pytest.raises(DomainError) as raised:
        pooling_level_on(replace(INPATIENT, pooling=()), date(2026, 6, 1))
    assert raised.value.code == "no_pooling_period"


@pytest.mark.parametrize(
    ("closes_on", "discharged_on", "filed_on", "late_because"),
    [
        (None, date(2026, 11, 20), date(2027, 2, 18), None),  # 90 days after discharge
        (None, date(2026, 11, 20), date(2027, 2, 19), "91 days after discharge"),
        (date(2027, 3, 31), date(2027, 1, 5), date(2027, 3, 30), None),
        (date(2027, 3, 31), date(2027, 1, 5), date(2027, 3, 31), None),  # on the day: open
        (date(2027, 3, 31), date(2027, 1, 20), date(2027, 4, 1), "closed on 2027-03-31"),
        # the closing date binds even inside the days after discharge...
        (date(2027, 3, 31), date(2027, 3, 25), date(2027, 4, 2), "closed on 2027-03-31"),
        # ...and the days after discharge bind before the closing date
        (date(2027, 3, 31), date(2026, 6, 1), date(2026, 9, 30), "121 days after discharge"),
    ],
)
def test_a_claim_is_late_after_the_days_after_discharge_or_the_plan_years_closing_date(
    closes_on: date | None, discharged_on: date, filed_on: date, late_because: str | None
) -> None:
    rules = replace(INPATIENT, claims_close_on=closes_on)
    reason = rules.too_late(discharged_on, filed_on)
    if late_because is None:
        assert reason is None
    else:
        assert reason is not None and late_because in reason, reason


def test_claims_of_a_plan_year_cannot_close_before_the_year_begins() -> None:
    assert validate_rules(replace(INPATIENT, claims_close_on=date(2026, 1, 1))).claims_close_on
    with pytest.raises(DomainError) as refused:
        validate_rules(replace(INPATIENT, claims_close_on=date(2025, 12, 31)))
    assert refused.value.code == "invalid_claims_close_on"
    assert "2025-12-31" in refused.value.message
