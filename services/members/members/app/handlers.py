"""Command handlers: load, decide (domain), append. One small function per command."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from union_events.appending import AppendRequest
from union_events.commands import Outcome, execute, load
from union_events.errors import ConcurrencyError, Conflict
from union_events.events import EventContext, NewEvent
from union_events.store import EventStore

from ..domain import codec
from ..domain.events import CardIssued, IdentityClaimed
from ..domain.member import (
    Member,
    decide_enrol,
    decide_erase,
    decide_leave,
    decide_register,
    decide_transfer,
)
from ..domain.national_id import validate_national_id
from ..domain.orgs import Org, decide_register_org, validate_org_path
from ..privacy import KeyVault, PersonalData, Secrets, identity_hash
from . import aggregates as agg
from .cards import new_card_no


@dataclass
class Members:
    """What the handlers need: the log, the key vault and the secrets."""

    store: EventStore
    vault: KeyVault
    secrets: Secrets


async def find_org(store: EventStore, path: str) -> Org | None:
    state, _ = await load(store, agg.orgs, agg.org_stream(path))
    return state


async def register_org(m: Members, path: str, name: str, level: str, ctx: EventContext) -> Org:
    path = validate_org_path(path)
    parent_path = path.rsplit("/", 1)[0] if "/" in path else None
    parent = await find_org(m.store, parent_path) if parent_path else None
    outcome = await execute(
        m.store,
        agg.orgs,
        agg.org_stream(path),
        lambda existing: decide_register_org(existing, parent, path, name, level),
        context=ctx,
        retries=0,
    )
    assert outcome.state is not None
    return outcome.state


async def existing_member_of(m: Members, national_id: str) -> str | None:
    """The member id already holding this ID number, if any."""
    events = await m.store.read_stream(agg.identity_stream(identity_hash(m.secrets, national_id)))
    return events[0].data["member_id"] if events else None


async def register_member(
    m: Members, data: PersonalData, unit_path: str, today: date, ctx: EventContext
) -> tuple[str, str]:
    """One person, one member: the identity stream is claimed at version 0, atomically with
    the card and the member streams, so a concurrent second registration gets 409."""
    national_id = validate_national_id(data.national_id, today)
    data = PersonalData(data.name.strip(), national_id, data.phone.strip(), data.address.strip())
    unit = await find_org(m.store, unit_path)
    if (holder := await existing_member_of(m, national_id)) is not None:
        raise Conflict("this ID number is already a member", code="member_exists", member_id=holder)
    member_id = str(uuid.uuid4())
    # The rules first (unknown unit...), so a refused registration leaves no key behind.
    decide_register(
        agg.members.initial(), member_id=member_id, card_no="", unit=unit, sealed="", today=today
    )
    sealed = await m.vault.seal(member_id, data)
    for _attempt in range(3):  # a card number clash is astronomically rare; retry anyway
        card_no = new_card_no()
        events = decide_register(
            agg.members.initial(),
            member_id=member_id,
            card_no=card_no,
            unit=unit,
            sealed=sealed,
            today=today,
        )
        requests = registration(m, national_id, member_id, card_no, events, ctx)
        try:
            await m.store.append_batch(requests)
            return member_id, card_no
        except ConcurrencyError as exc:
            if exc.stream_id.startswith("identity-"):
                await m.vault.destroy(member_id)  # the loser's key guards nothing
                holder = await existing_member_of(m, national_id)
                raise Conflict(
                    "this ID number is already a member", code="member_exists", member_id=holder
                ) from exc
    raise Conflict("could not issue a card number; try again", code="card_clash")


def stored(event: object, ctx: EventContext) -> NewEvent:
    event_type, data = codec.encode(event)
    return NewEvent(event_type, data, context=ctx)


def registration(
    m: Members,
    national_id: str,
    member_id: str,
    card_no: str,
    events: Sequence[object],
    ctx: EventContext,
) -> list[AppendRequest]:
    """The three streams one registration appends to, in one transaction."""
    identity = agg.identity_stream(identity_hash(m.secrets, national_id))
    return [
        AppendRequest(identity, 0, (stored(IdentityClaimed(member_id), ctx),)),
        AppendRequest(agg.card_stream(card_no), 0, (stored(CardIssued(member_id), ctx),)),
        AppendRequest(agg.member_stream(member_id), 0, tuple(stored(e, ctx) for e in events)),
    ]


async def transfer(
    m: Members, member_id: str, unit_path: str, today: date, ctx: EventContext
) -> Outcome[Member, Any]:
    unit = await find_org(m.store, unit_path)
    return await execute(
        m.store,
        agg.members,
        agg.member_stream(member_id),
        lambda s: decide_transfer(s, to_unit=unit, today=today),
        context=ctx,
    )


async def leave(
    m: Members, member_id: str, reason: str, today: date, ctx: EventContext
) -> Outcome[Member, Any]:
    return await execute(
        m.store,
        agg.members,
        agg.member_stream(member_id),
        lambda s: decide_leave(s, reason=reason, today=today),
        context=ctx,
    )


async def enrol(
    m: Members, member_id: str, plan_id: str, year: int, today: date, ctx: EventContext
) -> Outcome[Member, Any]:
    return await execute(
        m.store,
        agg.members,
        agg.member_stream(member_id),
        lambda s: decide_enrol(s, plan_id=plan_id, year=year, today=today),
        context=ctx,
    )


async def erase(m: Members, member_id: str, today: date, ctx: EventContext) -> None:
    """Record the erasure, then destroy the key (crypto-shredding). Destroying again is a
    no-op, so a retried DELETE after a crash in between finishes the job."""
    await execute(
        m.store,
        agg.members,
        agg.member_stream(member_id),
        lambda s: decide_erase(s, today=today),
        context=ctx,
    )
    await m.vault.destroy(member_id)
