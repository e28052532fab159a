"""Invariants over any history: replaying never fails, and the rules hold after any commands."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st
from members.domain.campaign import Campaign, CampaignEvent, evolve_campaign
from members.domain.events import MemberEvent, OrgRegistered
from members.domain.member import (
    Member,
    decide_enrol,
    decide_erase,
    decide_leave,
    decide_register,
    decide_rejoin,
    decide_transfer,
    evolve_member,
)
from members.domain.orgs import Org, evolve_org
from members.domain.plan_years import PlanYear
from union_events.errors import DomainError

from .strategies import campaign_events, member_events, org_events

UNITS = [
    Org("z/d/u1", "u1", "unit", "z/d"),
    Org("z/d/u2", "u2", "unit", "z/d"),
    Org("z/p/u3", "u3", "unit", "z/p"),
    Org("z/d/c", "c", "service_point", "z/d"),
    None,
]
START = date(2026, 1, 1)
KNOWN_YEARS = {2025, 2026}  # the plan years heard from claims


@given(st.lists(member_events, max_size=30))
def test_replaying_any_member_history_never_fails(events: list[MemberEvent]) -> None:
    state = Member()
    for event in events:
        state = evolve_member(state, event)
    assert isinstance(state, Member)


@given(st.lists(org_events, max_size=10), st.lists(campaign_events, max_size=30))
def test_replaying_any_org_or_campaign_history_never_fails(
    orgs: list[OrgRegistered], campaigns: list[CampaignEvent]
) -> None:
    org: Org | None = None
    for event in orgs:
        org = evolve_org(org, event)
    campaign: Campaign | None = None
    for happened in campaigns:
        campaign = evolve_campaign(campaign, happened)


commands = st.lists(
    st.tuples(
        st.sampled_from(["register", "transfer", "leave", "rejoin", "enrol", "erase"]),
        st.sampled_from(UNITS),
        st.integers(min_value=2025, max_value=2028),
        st.integers(min_value=0, max_value=3),
    ),
    max_size=25,
)


@given(commands)
def test_after_any_commands_one_unit_at_a_time_one_enrolment_per_plan_year_erasure_final(
    script: list[tuple[str, Org | None, int, int]],
) -> None:
    state, today = Member(), START
    for name, unit, year, days in script:
        today += timedelta(days=days)
        try:
            events: list[MemberEvent] = list(_decide(name, state, unit, year, today))
        except DomainError:
            continue
        if state.erased:  # erasure is final: nothing more happens to the record
            assert events == []
        for event in events:
            state = evolve_member(state, event)
    if state.status == "none":
        assert state == Member()
        return
    assert state.units and state.units[-1][0] == state.unit
    assert len(state.enrolment_districts) == len(state.enrolments)
    assert {(p, y) for p, y, _ in state.enrolment_districts} == state.enrolments
    assert state.erased == (state.sealed is None) == (state.status == "erased")
    assert {y for _, y in state.enrolments} <= KNOWN_YEARS


def _decide(
    name: str, state: Member, unit: Org | None, year: int, today: date
) -> Sequence[MemberEvent]:
    if name == "register":
        return decide_register(
            state, member_id="m", card_no="c", unit=unit, sealed="s", today=today
        )
    if name == "transfer":
        return decide_transfer(state, to_unit=unit, today=today)
    if name == "leave":
        return decide_leave(state, reason="moved away", today=today)
    if name == "rejoin":
        return decide_rejoin(state, unit=unit, today=today)
    if name == "enrol":
        known = PlanYear("p", year) if year in KNOWN_YEARS else None
        return decide_enrol(state, plan_id="p", year=year, today=today, plan_year=known)
    return decide_erase(state, today=today)
