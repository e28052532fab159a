"""The members outreach knows: heard from members' events (registered, transferred, left,
rejoined, erased), one stream each (`member-<member_id>`, the id canonical). Outreach serves
members it has heard of only: a made-up or mistyped id takes no campaign item and counts as no
member's check-in; a member who left the union or was erased takes no campaign item either.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from union_events.errors import DomainError

from .events import MemberMoved, MemberNoted, MemberStatusNoted

MemberEvent = MemberNoted | MemberMoved | MemberStatusNoted
STATUSES = ("active", "left", "erased")


@dataclass(frozen=True)
class KnownMember:
    member_id: str = ""
    district: str = ""
    status: str = "active"  # active | left | erased (as members last said)

    @property
    def known(self) -> bool:
        return bool(self.member_id)


def evolve_member(state: KnownMember, event: MemberEvent) -> KnownMember:
    match event:
        case MemberNoted():
            return KnownMember(event.member_id, event.district)
        case MemberMoved():
            return replace(state, district=event.district)
        case MemberStatusNoted():
            return replace(state, status=event.status, district=event.district or state.district)
    return state


def decide_note(
    state: KnownMember, *, member_id: str, district: str, on: date
) -> list[MemberEvent]:
    """A registration heard: noted once, whatever is redelivered."""
    return [] if state.known else [MemberNoted(member_id, district, on)]


def decide_move(
    state: KnownMember, *, member_id: str, district: str, on: date
) -> list[MemberEvent]:
    """A transfer heard: the member's district now (a transfer proves the member, too)."""
    if not state.known:
        return [MemberNoted(member_id, district, on)]
    return [] if state.district == district else [MemberMoved(member_id, district, on)]


def decide_status(
    state: KnownMember, *, member_id: str, status: str, district: str | None, on: date
) -> list[MemberEvent]:
    """A member left, rejoined (`active`, in `district`) or was erased. Of a member never
    heard registered only a rejoining says enough (who and where) to note."""
    if not state.known:
        return [MemberNoted(member_id, district, on)] if status == "active" and district else []
    if state.status == status and (district is None or district == state.district):
        return []
    return [MemberStatusNoted(member_id, status, district, on)]


def require_member(state: KnownMember, member_id: str) -> KnownMember:
    """A member outreach knows who is still a member (a benefit is for members)."""
    require_known(state, member_id)
    if state.status == "left":
        raise DomainError(
            f"member {member_id} has left the union: benefits are for members",
            code="member_left",
        )
    if state.status == "erased":
        raise DomainError(
            f"member {member_id}'s record was erased: the person is no member now",
            code="member_erased",
        )
    return state


def require_known(state: KnownMember, member_id: str) -> KnownMember:
    if not state.known:
        raise DomainError(
            f"outreach has not heard of member {member_id} from the members service: check the "
            "member id, or register the person as a member first",
            code="unknown_member",
        )
    return state
