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
    decide_transfer,
    evolve_member,
)
from members.domain.orgs import Org, evolve_org
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
        st.sampled_from(["register", "transfer", "leave", "enrol", "erase"]),
        st.sampled_from(UNITS),
        st.integers(min_value=2025, max_value=2028),
        st.integers(min_value=0, max_value=3),
    ),
    max_size=25,
)


@given(commands)
def test_after_any_commands_a_member_is_in_one_unit_and_enrolled_once_per_plan_year(
    script: list[tuple[str, Org | None, int, int]],
) -> None:
    state, today = Member(), START
    for name, unit, year, days in script:
        today += timedelta(days=days)
        try:
            events: list[MemberEvent] = list(_decide(name, state, unit, year, today))
        except DomainError:
            continue
        for event in events:
            state = evolve_member(state, event)
    if state.status == "none":
        assert state == Member()
        return
    assert state.units and state.units[-1][0] == state.unit
    assert all(u1 != u2 for (u1, _), (u2, _) in zip(state.units, state.units[1:], strict=False))
    assert len(state.enrolment_districts) == len(state.enrolments)
    assert {(p, y) for p, y, _ in state.enrolment_districts} == state.enrolments
    assert state.erased == (state.sealed is None)


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
    if name == "enrol":
        return decide_enrol(state, plan_id="p", year=year, today=today)
    return decide_erase(state, today=today)
