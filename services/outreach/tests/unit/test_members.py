"""The members outreach knows: heard from members' registrations and transfers, once each."""

from __future__ import annotations

from datetime import date
from functools import reduce

import pytest
from outreach.domain.events import MemberMoved, MemberNoted
from outreach.domain.members import (
    KnownMember,
    decide_move,
    decide_note,
    evolve_member,
    require_known,
)
from union_events.errors import DomainError

DAY = date(2026, 10, 10)
M1 = "0b8a7c1e-3f7d-4a53-9c1f-2d5e8f6a7b90"
DINGHAI, PUTUO = "zhoushan/dinghai", "zhoushan/putuo"


def member(*events) -> KnownMember:
    return reduce(evolve_member, events, KnownMember())


def test_a_registration_heard_makes_the_member_known_once():
    noted = decide_note(KnownMember(), member_id=M1, district=DINGHAI, on=DAY)
    assert noted == [MemberNoted(M1, DINGHAI, DAY)]
    assert member(*noted) == KnownMember(M1, DINGHAI)
    assert decide_note(member(*noted), member_id=M1, district=DINGHAI, on=DAY) == []


def test_a_transfer_heard_moves_the_member_to_its_district_once():
    known = member(MemberNoted(M1, DINGHAI, DAY))
    moved = decide_move(known, member_id=M1, district=PUTUO, on=DAY)
    assert moved == [MemberMoved(M1, PUTUO, DAY)]
    assert member(MemberNoted(M1, DINGHAI, DAY), *moved).district == PUTUO
    assert decide_move(member(MemberNoted(M1, PUTUO, DAY)), member_id=M1, district=PUTUO,
                       on=DAY) == []  # fmt: skip


def test_a_transfer_of_a_member_not_heard_of_yet_makes_the_member_known():
    assert decide_move(KnownMember(), member_id=M1, district=PUTUO, on=DAY) == [
        MemberNoted(M1, PUTUO, DAY)
    ]


def test_a_member_outreach_has_not_heard_of_is_refused_in_words():
    with pytest.raises(DomainError) as refused:
        require_known(KnownMember(), "nobody-123")
    assert (refused.value.status, refused.value.code) == (422, "unknown_member")
    assert "has not heard of member nobody-123" in refused.value.message
