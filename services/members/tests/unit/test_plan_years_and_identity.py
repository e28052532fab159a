"""Plan years heard from claims, and the identity stream: claimed, released on erasure."""

from __future__ import annotations

from datetime import date

import pytest
from members.domain.events import IdentityClaimed, IdentityReleased
from members.domain.identity import Identity, decide_claim, decide_release, evolve_identity
from members.domain.plan_years import PlanYear, PlanYearHeard, decide_hear, evolve_plan_year
from union_events.errors import Conflict

CLOSES = date(2026, 12, 15)


def test_a_plan_year_heard_once_is_known_and_the_same_again_decides_nothing() -> None:
    events = decide_hear(
        None, plan_id="inpatient", year=2026, enrolment_closes_on=CLOSES, claims_close_on=None
    )
    assert events == [PlanYearHeard("inpatient", 2026, CLOSES, None)]
    known = evolve_plan_year(None, events[0])
    assert known == PlanYear("inpatient", 2026, CLOSES)
    again = dict(plan_id="inpatient", year=2026, enrolment_closes_on=CLOSES, claims_close_on=None)
    assert decide_hear(known, **again) == []
    moved = again | {"enrolment_closes_on": date(2026, 12, 31)}
    assert decide_hear(known, **moved) == [PlanYearHeard("inpatient", 2026, date(2026, 12, 31))]


def test_a_free_number_is_claimed_and_a_held_one_is_a_409_naming_holder_and_status() -> None:
    assert decide_claim(Identity(), member_id="m2") == [IdentityClaimed("m2")]
    for status in ("active", "left"):
        with pytest.raises(Conflict) as refused:
            decide_claim(Identity("m1"), member_id="m2", holder_status=status)
        assert refused.value.code == "member_exists"
        assert refused.value.details == {"member_id": "m1", "status": status}
    with pytest.raises(Conflict) as left:
        decide_claim(Identity("m1"), member_id="m2", holder_status="left")
    assert "rejoin" in left.value.message


def test_an_erased_holder_no_longer_holds_the_number() -> None:
    released = evolve_identity(Identity("m1"), IdentityReleased("m1"))
    assert released == Identity(None)
    assert decide_claim(released, member_id="m2") == [IdentityClaimed("m2")]
    # An erasure recorded before releases existed: the registration releases it first.
    assert decide_claim(Identity("m1"), member_id="m2", holder_status="erased") == [
        IdentityReleased("m1"),
        IdentityClaimed("m2"),
    ]


def test_release_is_for_the_holder_only_and_idempotent() -> None:
    assert decide_release(Identity("m1"), member_id="m1") == [IdentityReleased("m1")]
    assert decide_release(Identity(None), member_id="m1") == []
    assert decide_release(Identity("m2"), member_id="m1") == []
    assert evolve_identity(Identity("m2"), IdentityReleased("m1")) == Identity("m2")
