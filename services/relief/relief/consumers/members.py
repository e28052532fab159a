"""members' events → what relief knows of members (registered, left, rejoined, erased: the
`member-<id>` stream), and their hardship files: a transfer moves the member's files to the
new district; an erasure shreds the household key (the sealed household in the log can never
be opened again)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection
from union_events.commands import Work
from union_events.consumer import ConsumerSpec, run_caused
from union_events.ids import canonical_member_id
from union_events.orgs import district_of
from union_events.published.members import (
    MemberErased,
    MemberLeft,
    MemberRegistered,
    MemberTransferred,
    registry,
)
from union_events.wire import IncomingEvent

from ..app.aggregates import file_stream, files, member_stream, members
from ..app.relief import Relief
from ..domain.hardship_file import decide_erase, decide_move
from ..domain.member import decide_note_member

_PREFIX = "union.members.member."
_HEARD = ("registered", "rejoined", "left", "transferred", "erased")


def _fact(name: str, event: IncomingEvent) -> tuple[Any, str, str | None, date | None]:
    """(payload, status, district, on) of a member event; a rejoin, which has no contract of
    its own yet, is read from its data (member id, and unit or district when given)."""
    if name == "rejoined":
        data = event.data
        unit = data.get("district") or data.get("unit")
        on = data.get("on") or data.get("joined_on")
        district = district_of(unit) if unit and "/" in unit else None
        return None, "active", district, date.fromisoformat(on) if on else None
    payload = registry.parse(event.type, event.data)
    match payload:
        case MemberRegistered():
            return payload, "active", payload.district, payload.joined_on
        case MemberLeft():
            return payload, "left", None, payload.on
        case MemberTransferred():
            return payload, "", payload.to_district, payload.on
        case MemberErased():
            return payload, "erased", None, payload.on
    raise ValueError(f"not a member fact: {event.type}")


def members_consumer(wiring: dict[str, Relief]) -> ConsumerSpec:
    async def on_member_event(conn: AsyncConnection, event: IncomingEvent) -> None:
        """Note the member's status and district; move or erase the member's files."""
        name = event.type.removeprefix(_PREFIX).rsplit(".", 1)[0]
        if not event.type.startswith(_PREFIX) or name not in _HEARD:
            return
        payload, status, district, on = _fact(name, event)
        member_id = canonical_member_id(str(event.data["member_id"]))
        relief = wiring["relief"]
        stream = member_stream(member_id)

        async def note(work: Work) -> None:
            record = await work.load(members, stream)
            noted = decide_note_member(
                record,
                member_id=member_id,
                status=status or (record.status if record.status != "unknown" else "active"),
                district=district,
                on=on or date.min,
            )
            work.emit(members, stream, noted)
            if not isinstance(payload, MemberTransferred | MemberErased):
                return
            for file_id in record.file_ids:
                state = await work.load(files, file_stream(file_id))
                if isinstance(payload, MemberTransferred):
                    decided = decide_move(state, to_district=payload.to_district, on=payload.on)
                else:
                    decided = decide_erase(state, on=payload.on)
                work.emit(files, file_stream(file_id), decided)

        await run_caused(relief.store, conn, event, note)
        if isinstance(payload, MemberErased):
            await relief.vault.destroy_in(conn, member_id)

    return ConsumerSpec("relief-members", "MEMBERS", "union.members.>", on_member_event)
