"""One member per national ID number: the identity stream `identity-<hmac of the number>`.

A registration claims it (at the version read: two concurrent claims cannot both win); an
erasure releases it, so the number no longer points at the erased member and the person may
register again as a new member.
"""

from __future__ import annotations

from dataclasses import dataclass

from union_events.errors import Conflict

from .events import IdentityClaimed, IdentityEvent, IdentityReleased


@dataclass(frozen=True)
class Identity:
    holder: str | None = None  # the member id holding the number; None when free


def evolve_identity(state: Identity, event: IdentityEvent) -> Identity:
    match event:
        case IdentityClaimed():
            return Identity(event.member_id)
        case IdentityReleased():
            return Identity(None) if state.holder == event.member_id else state
    return state


def decide_claim(
    state: Identity, *, member_id: str, holder_status: str | None = None
) -> list[IdentityClaimed | IdentityReleased]:
    """Claim the number for a new member. A holder whose erasure did not release it (recorded
    before releases existed) is released first; any other holder is a 409 `member_exists`
    naming it and its status (a member who left rejoins instead)."""
    if state.holder is None:
        return [IdentityClaimed(member_id)]
    if holder_status == "erased":
        return [IdentityReleased(state.holder), IdentityClaimed(member_id)]
    message = "this ID number is already a member"
    if holder_status == "left":
        message = (
            "this ID number belongs to a member who left the union; they join again with "
            f"POST /members/{state.holder}/rejoin"
        )
    raise Conflict(
        message, code="member_exists", member_id=state.holder, status=holder_status or "active"
    )


def decide_release(state: Identity, *, member_id: str) -> list[IdentityReleased]:
    """On erasure: free the number if this member holds it (idempotent)."""
    return [IdentityReleased(member_id)] if state.holder == member_id else []
