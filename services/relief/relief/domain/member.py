"""What relief knows of a member (stream `member-<member_id>`): heard from members' events
(registered, left, rejoined, transferred, erased), and which hardship files the member has.

Relief helps members only: a file or an application names a member relief has heard
registered (and who has not left since); a member has at most one open hardship file.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from union_events.errors import Conflict, DomainError

from .events import FileNoted, MemberEvent, MemberNoted

STATUSES = ("active", "left", "erased")


@dataclass(frozen=True)
class MemberRecord:
    member_id: str = ""
    status: str = "unknown"  # unknown | active | left | erased
    district: str | None = None
    since: date | None = None
    file_ids: tuple[str, ...] = ()  # every file the member had, oldest first


def evolve_member(state: MemberRecord, event: MemberEvent) -> MemberRecord:
    match event:
        case MemberNoted():
            return replace(
                state,
                member_id=event.member_id,
                status=event.status,
                district=event.district or state.district,
                since=event.on,
            )
        case FileNoted():
            return replace(state, file_ids=(*state.file_ids, event.file_id))
    return state


def decide_note_member(
    state: MemberRecord, *, member_id: str, status: str, district: str | None, on: date
) -> list[MemberEvent]:
    """A fact heard from members; the same fact heard again changes nothing. An erased member
    stays erased (the person may register again, under a new member id)."""
    if status not in STATUSES:
        raise ValueError(f"unknown member status {status!r}")
    if state.status == "erased":
        return []
    district = district or state.district
    if state.status == status and state.district == district:
        return []
    return [MemberNoted(member_id, status, district, on)]


def require_member(state: MemberRecord, member_id: str) -> None:
    """Relief helps members it has heard of, and who are members now (422 otherwise)."""
    if state.status == "unknown":
        raise DomainError(
            f"no member {member_id} is known here: a member is registered with the members "
            "service first (relief hears of it within moments)",
            code="unknown_member",
            member_id=member_id,
        )
    if state.status == "left":
        raise DomainError(
            f"the member {member_id} left the union on {state.since}", code="member_left"
        )
    if state.status == "erased":
        raise DomainError(
            f"the member {member_id} was erased on {state.since}", code="member_erased"
        )


def decide_note_file(
    state: MemberRecord, *, member_id: str, file_id: str, open_file_ids: list[str]
) -> list[MemberEvent]:
    """One open hardship file per member: a second one is refused, naming the open one."""
    require_member(state, member_id)
    if open_file_ids:
        raise Conflict(
            f"the member {member_id} has an open hardship file already: {open_file_ids[0]} "
            "(review it, or close it before opening another)",
            code="file_exists",
            file_id=open_file_ids[0],
        )
    return [FileNoted(file_id)]
