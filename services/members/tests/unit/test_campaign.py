"""QR sign-up campaigns (扫码入会): targets 日过百、周过千、月达万 and progress against them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from members.domain.campaign import (
    Campaign,
    CampaignEvent,
    Tally,
    Targets,
    decide_open_campaign,
    decide_record_signups,
    evolve_campaign,
    progress,
)
from members.domain.events import CampaignOpened, SignUpsRecorded
from members.domain.orgs import Org
from union_events.errors import DomainError

MONDAY = date(2026, 11, 23)  # ISO week 48
DINGHAI = Org("zhoushan/dinghai", "定海", "district", "zhoushan")
OPENED = CampaignOpened("riders", DINGHAI.path, "外卖骑手", 100, 1000, 10000, date(2026, 10, 1))


def given(*events: CampaignEvent) -> Campaign | None:
    state: Campaign | None = None
    for event in events:
        state = evolve_campaign(state, event)
    return state


def signups(on: date, n: int, duplicates: int = 0) -> SignUpsRecorded:
    return SignUpsRecorded(on, tuple(f"m-{on}-{i}" for i in range(n)), duplicates)


def open_with(existing: Campaign | None = None, **overrides: Any) -> list[CampaignOpened]:
    command: dict[str, Any] = dict(
        campaign_id="riders",
        district=DINGHAI,
        name="外卖骑手",
        daily_target=100,
        weekly_target=1000,
        monthly_target=10000,
        today=date(2026, 10, 1),
    )
    return decide_open_campaign(existing, **(command | overrides))


def test_given_no_campaign_when_opened_in_a_district_then_it_starts_today() -> None:
    assert open_with() == [OPENED]
    assert given(OPENED) == Campaign(
        "riders", DINGHAI.path, "外卖骑手", Targets(100, 1000, 10000), date(2026, 10, 1)
    )


@pytest.mark.parametrize(
    ("overrides", "status", "code"),
    [
        (dict(existing=given(OPENED)), 409, "campaign_exists"),
        (dict(district=None), 422, "unknown_district"),
        (dict(district=Org("zhoushan", "舟山", "city", None)), 422, "unknown_district"),
        (dict(name=" "), 422, "name_required"),
        (dict(daily_target=0), 422, "invalid_target"),
        (dict(monthly_target=-5), 422, "invalid_target"),
        (dict(daily_target=1001), 422, "inconsistent_targets"),
        (dict(weekly_target=20000), 422, "inconsistent_targets"),
    ],
)
def test_a_campaign_that_breaks_a_rule_is_refused(
    overrides: dict[str, Any], status: int, code: str
) -> None:
    with pytest.raises(DomainError) as refused:
        open_with(**overrides)
    assert (refused.value.status, refused.value.code) == (status, code)


def test_equal_targets_are_consistent() -> None:
    assert open_with(daily_target=5, weekly_target=5, monthly_target=5)


def test_given_a_campaign_when_sign_ups_arrive_then_they_are_recorded() -> None:
    events = decide_record_signups(given(OPENED), member_ids=("a", "b"), duplicates=1, today=MONDAY)
    assert events == [SignUpsRecorded(MONDAY, ("a", "b"), 1)]
    state = given(OPENED, *events)
    assert state is not None
    assert (state.per_day, state.total, state.duplicates) == (((MONDAY, 2),), 2, 1)


def test_a_batch_of_only_duplicates_is_still_counted() -> None:
    assert decide_record_signups(given(OPENED), member_ids=(), duplicates=3, today=MONDAY)


def test_nothing_to_record_records_nothing() -> None:
    assert decide_record_signups(given(OPENED), member_ids=(), duplicates=0, today=MONDAY) == []


@pytest.mark.parametrize(
    ("state", "duplicates", "status", "code"),
    [(None, 0, 404, "campaign_not_found"), (given(OPENED), -1, 422, "invalid_duplicates")],
)
def test_sign_ups_that_cannot_be_recorded_are_refused(
    state: Campaign | None, duplicates: int, status: int, code: str
) -> None:
    with pytest.raises(DomainError) as refused:
        decide_record_signups(state, member_ids=("a",), duplicates=duplicates, today=MONDAY)
    assert (refused.value.status, refused.value.code) == (status, code)


def test_progress_counts_today_this_iso_week_and_this_calendar_month() -> None:
    state = given(
        OPENED,
        signups(date(2026, 10, 31), 5000),  # last month
        signups(date(2026, 11, 1), 4000),  # this month, ISO week 44
        signups(date(2026, 11, 22), 900, duplicates=7),  # Sunday: ISO week 47
        signups(MONDAY, 60),  # week 48 starts today
        signups(MONDAY, 50, duplicates=3),  # a second batch the same day
    )
    assert state is not None
    report = progress(state, MONDAY)
    assert report.today == Tally(110, 100, True)  # 日过百
    assert report.this_week == Tally(110, 1000, False)
    assert report.this_month == Tally(5010, 10000, False)
    assert (report.total, report.duplicates, report.as_of) == (10010, 10, MONDAY)
    assert state.per_day[-1] == (MONDAY, 110)


def test_a_week_spanning_two_months_counts_in_both_of_its_months_weeks() -> None:
    state = given(OPENED, signups(date(2026, 11, 30), 600), signups(date(2026, 12, 2), 500))
    assert state is not None
    report = progress(state, date(2026, 12, 3))
    assert report.this_week == Tally(1100, 1000, True)  # 周过千
    assert report.this_month == Tally(500, 10000, False)
    assert report.today == Tally(0, 100, False)


def test_a_month_of_ten_thousand_meets_the_monthly_target() -> None:
    days = [signups(date(2026, 11, d), 400) for d in range(1, 26)]
    state = given(OPENED, *days)
    assert state is not None
    assert progress(state, date(2026, 11, 30)).this_month == Tally(10000, 10000, True)  # 月达万


def test_sign_ups_replayed_without_an_opening_leave_no_campaign() -> None:
    assert given(signups(MONDAY, 3)) is None
