"""Hardship files: open, read, review (the card issued or withdrawn), visit, close."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from union_events.commands import Work, execute, fold, load, run
from union_events.errors import NotFound
from union_events.events import EventContext
from union_events.ids import canonical_member_id
from union_events.orgs import validate_org_path

from ..domain.hardship_file import (
    Assessment,
    HardshipFile,
    decide_close,
    decide_open,
    decide_review,
    decide_visit,
)
from ..domain.jurisdiction import Actor, authorize
from ..domain.member import decide_note_file
from .aggregates import file_stream, files, member_stream, members
from .members import held_files, member_record, open_files_of
from .relief import Relief, standard_for


@dataclass(frozen=True)
class Household:
    """The personal part of a file: sealed under the member's key, never in clear in the log."""

    members: list[dict[str, Any]]
    notes: str

    def as_dict(self) -> dict[str, Any]:
        return {"members": self.members, "notes": self.notes}


async def _assessment(r: Relief, district: str, on: date) -> Assessment:
    return Assessment(await standard_for(r.store, district, on), r.settings.card_factor, on)


async def open_file(
    r: Relief,
    *,
    member_id: str,
    district: str,
    category: str,
    household: Household,
    monthly_income: Decimal,
    opened_by: str,
    actor: Actor | None,
    today: date,
    ctx: EventContext,
) -> HardshipFile:
    """One open file per member: the file and the member's note of it are appended together,
    the member's stream at the version read, so of two files opened at once for the same member
    the second is decided again and refused (409 `file_exists`, naming the open one)."""
    district = validate_org_path(district, depth=2, what="the district of a file")
    opened_by = validate_org_path(opened_by, what="opened_by")
    member_id = canonical_member_id(member_id)
    authorize(actor, district)
    file_id = str(uuid.uuid4())

    record, _ = await member_record(r.store, member_id)
    decide_note_file(  # refused before anything is sealed for a member it is not for
        record,
        member_id=member_id,
        file_id=file_id,
        open_file_ids=await open_files_of(r.store, record),
    )
    sealed = await r.vault.seal(member_id, household.as_dict())
    assessment = await _assessment(r, district, today)

    async def command(work: Work) -> HardshipFile:
        found = await work.read(file_stream(file_id), member_stream(member_id))
        record = fold(members, found[member_stream(member_id)])
        held = await work.read(*(file_stream(f) for f in record.file_ids))
        noted = decide_note_file(
            record,
            member_id=member_id,
            file_id=file_id,
            open_file_ids=[f.file_id for f in held_files(record, held) if f.status == "open"],
        )
        events = decide_open(
            fold(files, found[file_stream(file_id)]),
            file_id=file_id,
            member_id=member_id,
            district=district,
            category=category,
            household_size=len(household.members),
            monthly_income=monthly_income,
            household_sealed=sealed,
            opened_by=opened_by,
            assessment=assessment,
        )
        # Both at the versions read: the member's record changed meanwhile, decided again.
        work.emit(files, file_stream(file_id), events)
        work.emit(members, member_stream(member_id), noted)
        state = HardshipFile()
        for event in events:
            state = files.evolve(state, event)
        return state

    return await run(r.store, command, context=ctx)


async def get_file(r: Relief, file_id: str, actor: Actor | None) -> HardshipFile:
    state, _ = await load(r.store, files, file_stream(file_id))
    if state.status == "none":
        raise NotFound(f"no hardship file {file_id}", code="file_not_found")
    authorize(actor, state.district)
    return state


async def household_of(r: Relief, state: HardshipFile) -> dict[str, Any] | None:
    """The household in clear, or None once the member was erased."""
    if state.erased:
        return None
    return await r.vault.open(state.member_id, state.household_sealed)


async def review_file(
    r: Relief,
    file_id: str,
    *,
    category: str | None,
    household: Household | None,
    monthly_income: Decimal,
    actor: Actor | None,
    today: date,
    ctx: EventContext,
) -> HardshipFile:
    state = await get_file(r, file_id, actor)
    sealed = (
        await r.vault.seal(state.member_id, household.as_dict())
        if household is not None
        else state.household_sealed
    )
    size = len(household.members) if household is not None else state.household_size
    assessment = await _assessment(r, state.district, today)
    return await _run(
        r,
        file_id,
        ctx,
        lambda s: decide_review(
            s,
            category=category or s.category,
            household_size=size,
            monthly_income=monthly_income,
            household_sealed=sealed,
            assessment=assessment,
        ),
    )


async def close_file(
    r: Relief, file_id: str, reason: str, actor: Actor | None, today: date, ctx: EventContext
) -> HardshipFile:
    await get_file(r, file_id, actor)
    return await _run(r, file_id, ctx, lambda s: decide_close(s, reason=reason, on=today))


async def record_visit(
    r: Relief,
    file_id: str,
    on: date,
    by: str,
    actor: Actor | None,
    today: date,
    ctx: EventContext,
) -> HardshipFile:
    await get_file(r, file_id, actor)
    return await _run(r, file_id, ctx, lambda s: decide_visit(s, on=on, by=by, today=today))


async def _run(
    r: Relief, file_id: str, ctx: EventContext, decide: Callable[[HardshipFile], list[Any]]
) -> HardshipFile:
    outcome = await execute(r.store, files, file_stream(file_id), decide, context=ctx)
    return outcome.state
