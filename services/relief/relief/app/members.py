"""What relief knows of members: heard from members' events (the consumer notes them), read
before a file or an application names a member."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from union_events.commands import fold, load
from union_events.errors import Forbidden, NotFound
from union_events.events import RecordedEvent
from union_events.ids import canonical_member_id
from union_events.store import EventStore

from ..domain.file_state import HardshipFile
from ..domain.jurisdiction import Actor, authorize
from ..domain.member import MemberRecord, require_member
from .aggregates import file_stream, files, member_stream, members

if TYPE_CHECKING:
    from .relief import Relief


async def member_record(store: EventStore, member_id: str) -> tuple[MemberRecord, int]:
    """The member's record and its stream's version, for reading (a command reads it in its
    `Work`, as `files.open_file` does)."""
    return await load(store, members, member_stream(member_id))


async def known_member(store: EventStore, member_id: str) -> str:
    """The canonical id of a member relief knows (422 `invalid_member_id`, `unknown_member`,
    `member_left` or `member_erased` otherwise)."""
    member_id = canonical_member_id(member_id)
    state, _ = await member_record(store, member_id)
    require_member(state, member_id)
    return member_id


async def files_of(store: EventStore, record: MemberRecord) -> list[HardshipFile]:
    if not record.file_ids:
        return []
    return held_files(record, await store.read_streams([file_stream(f) for f in record.file_ids]))


def held_files(
    record: MemberRecord, found: Mapping[str, Sequence[RecordedEvent]]
) -> list[HardshipFile]:
    """The member's files, folded from their streams as read (`found`)."""
    return [fold(files, found.get(file_stream(f), [])) for f in record.file_ids]


async def open_files_of(store: EventStore, record: MemberRecord) -> list[str]:
    """The member's files that are open now (read from the files themselves)."""
    return [f.file_id for f in await files_of(store, record) if f.status == "open"]


async def get_member(r: Relief, member_id: str, actor: Actor | None) -> dict[str, Any]:
    """What relief knows of a member: status, district, files, the open file and its card."""
    member_id = canonical_member_id(member_id)
    record, _ = await member_record(r.store, member_id)
    if record.status == "unknown":
        raise NotFound(f"no member {member_id} is known here", code="unknown_member")
    if record.district is not None:
        authorize(actor, record.district)
    elif actor is not None and actor.role != "city_admin":
        raise Forbidden(
            "only a city admin reads a member of no known district", code="outside_jurisdiction"
        )
    held = await files_of(r.store, record)
    open_file = next((f for f in held if f.status == "open"), None)
    return {
        "member_id": member_id,
        "status": record.status,
        "district": record.district,
        "since": record.since.isoformat() if record.since else None,
        "file_ids": list(record.file_ids),
        "open_file_id": open_file.file_id if open_file else None,
        "card_id": open_file.card_id if open_file else None,
    }
