"""Dependencies of the members routes, as Annotated aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path
from union_events.auth import authorize
from union_events.commands import load
from union_events.errors import NotFound
from union_events.http_deps import Context, CurrentPrincipal, Today, extra
from union_events.ids import canonical_member_id

from ..app import aggregates as agg
from ..app.handlers import Members
from ..domain.member import Member
from ..settings import MembersSettings

MembersDep = Annotated[Members, Depends(extra("members"))]
SettingsDep = Annotated[MembersSettings, Depends(extra("settings"))]


async def _member_id(
    member_id: Annotated[str, Path(max_length=64, description="a member id (a UUID)")],
) -> str:
    """The member id of the path in its one canonical form (lower-case UUID); 422 otherwise."""
    return canonical_member_id(member_id)


MemberId = Annotated[str, Depends(_member_id)]


async def load_member(m: Members, member_id: str) -> Member:
    """The member's state (for its unit: the org path authorization checks); 404 if none."""
    state: Member
    state, version = await load(m.store, agg.members, agg.member_stream(member_id))
    if version == 0 or state.member_id is None:
        raise NotFound(f"no member {member_id}", code="member_not_found")
    return state


__all__ = [
    "Context",
    "CurrentPrincipal",
    "MemberId",
    "MembersDep",
    "SettingsDep",
    "Today",
    "authorize",
    "load_member",
]
