"""The members outreach knows, heard from members' events; and the look-up commands use.

Noting runs inside the consumer's transaction (its inbox row and this append commit together),
with event ids derived from the cause: a redelivered event appends nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection
from union_events.commands import execute, load
from union_events.events import EventContext
from union_events.store import EventStore

from ..domain.members import KnownMember, decide_move, decide_note, decide_status
from .aggregates import member_stream, members


async def known_member(store: EventStore, member_id: str) -> KnownMember:
    """What outreach knows of `member_id` (canonical): `KnownMember()` when nothing."""
    state, _ = await load(store, members, member_stream(member_id))
    return state


async def note_member(
    store: EventStore,
    conn: AsyncConnection,
    *,
    member_id: str,
    district: str,
    on: date,
    moved: bool,
    ctx: EventContext,
) -> None:
    """A registration (or, `moved`, a transfer) heard from members (`member_id` canonical)."""
    decide = decide_move if moved else decide_note
    await _noted(
        store,
        conn,
        member_id,
        ctx,
        lambda s: decide(s, member_id=member_id, district=district, on=on),
    )


async def note_status(
    store: EventStore,
    conn: AsyncConnection,
    *,
    member_id: str,
    status: str,
    district: str | None,
    on: date,
    ctx: EventContext,
) -> None:
    """The member left (`left`), rejoined (`active`, in `district`) or was erased (`erased`)."""
    await _noted(
        store,
        conn,
        member_id,
        ctx,
        lambda s: decide_status(s, member_id=member_id, status=status, district=district, on=on),
    )


async def _noted(
    store: EventStore,
    conn: AsyncConnection,
    member_id: str,
    ctx: EventContext,
    decide: Callable[[KnownMember], list[Any]],
) -> None:
    # Read and appended in the consumer's transaction, at the version read: a concurrent change
    # fails this message, which is tried again (the same cause derives the same event ids).
    await execute(store, members, member_stream(member_id), decide, context=ctx, conn=conn)
