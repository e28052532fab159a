"""members' transfers move the member's files to the new district; an erasure shreds the
household key (the sealed household in the log can never be opened again)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection
from union_events.commands import load
from union_events.consumer import ConsumerSpec
from union_events.published.members import MemberErased, MemberTransferred, registry
from union_events.wire import IncomingEvent

from ..app.relief import Relief
from ..app.streams import FILE_NOTED, file_stream, files, member_stream
from ..domain.hardship_file import decide_erase, decide_move
from ._append import append_caused

_HEARD = ("union.members.member.transferred", "union.members.member.erased")


def members_consumer(wiring: dict[str, Relief]) -> ConsumerSpec:
    async def on_member_event(conn: AsyncConnection, event: IncomingEvent) -> None:
        """Transfers and erasures of members who have hardship files."""
        if event.type.rsplit(".", 1)[0] not in _HEARD:
            return
        payload = registry.parse(event.type, event.data)
        relief = wiring["relief"]
        store = relief.store
        assert isinstance(payload, MemberTransferred | MemberErased)
        noted = await store.read_stream(member_stream(payload.member_id))
        file_ids = [e.data["file_id"] for e in noted if e.type == FILE_NOTED]
        for file_id in file_ids:
            state, version = await load(store, files, file_stream(file_id))
            if isinstance(payload, MemberTransferred):
                decided = decide_move(state, to_district=payload.to_district, on=payload.on)
            else:
                decided = decide_erase(state, on=payload.on)
            await append_caused(store, conn, event, file_stream(file_id), version, decided)
        if isinstance(payload, MemberErased):
            await relief.vault.destroy_in(conn, payload.member_id)

    return ConsumerSpec("relief-members", "MEMBERS", "union.members.>", on_member_event)
