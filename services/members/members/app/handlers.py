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
from ..domain.events import CardIssued
from ..domain.identity import Identity, decide_claim, decide_release
from ..domain.member import (
    Member,
    decide_enrol,
    decide_erase,
    decide_leave,
    decide_register,
    decide_rejoin,
    decide_transfer,
)
from ..domain.national_id import validate_national_id
from ..domain.orgs import Org, decide_register_org, validate_org_path
from ..domain.person import check_working_age, normalize_phone
from ..domain.plan_years import PlanYear
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
    )
    assert outcome.state is not None
    return outcome.state


@dataclass(frozen=True)
class IdentityClaim:
    """What a registration appends to the number's identity stream, at the version read."""

    stream_id: str
    version: int
    events: tuple[object, ...]


async def identity_of(m: Members, national_id: str) -> tuple[str, Identity, int]:
    """The number's identity stream, who holds it (if anyone) and its version."""
    stream = agg.identity_stream(identity_hash(m.secrets, national_id))
    state, version = await load(m.store, agg.identities, stream)
    return stream, state, version


async def claim_identity(m: Members, national_id: str, member_id: str) -> IdentityClaim:
    """Claim the number for `member_id`, or 409 `member_exists` naming its holder."""
    stream, identity, version = await identity_of(m, national_id)
    status = None
    if identity.holder is not None:
        holder, _ = await load(m.store, agg.members, agg.member_stream(identity.holder))
        status = holder.status
    events = decide_claim(identity, member_id=member_id, holder_status=status)
    return IdentityClaim(stream, version, tuple(events))


def admissible(data: PersonalData, today: date) -> PersonalData:
    """The person's data normalized, once the rules for a member hold: a valid national ID
    number, 16 or over today, a Chinese mobile number (422 with the rule otherwise)."""
    national_id = validate_national_id(data.national_id, today)
    check_working_age(national_id, today)
    phone = normalize_phone(data.phone)
    return PersonalData(data.name.strip(), national_id, phone, data.address.strip())


async def register_member(
    m: Members, data: PersonalData, unit_path: str, today: date, ctx: EventContext
) -> tuple[str, str]:
    """One person, one member: the identity stream is claimed at the version read, atomically
    with the card and the member streams, so a concurrent second registration gets 409."""
    data = admissible(data, today)
    unit = await find_org(m.store, unit_path)
    member_id = str(uuid.uuid4())
    claim = await claim_identity(m, data.national_id, member_id)
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
        try:
            await m.store.append_batch(registration(claim, member_id, card_no, events, ctx))
            return member_id, card_no
        except ConcurrencyError as exc:
            if exc.stream_id.startswith("identity-"):
                await m.vault.destroy(member_id)  # the loser's key guards nothing
                await claim_identity(m, data.national_id, member_id)  # raises, naming the winner
                raise Conflict(
                    "this ID number was registered at the same moment; try again",
                    code="concurrent_registration",
                ) from exc
    raise Conflict("could not issue a card number; try again", code="card_clash")


def stored(event: object, ctx: EventContext) -> NewEvent:
    event_type, data = codec.encode(event)
    return NewEvent(event_type, data, context=ctx)


def registration(
    claim: IdentityClaim,
    member_id: str,
    card_no: str,
    events: Sequence[object],
    ctx: EventContext,
) -> list[AppendRequest]:
    """The three streams one registration appends to, in one transaction."""
    return [
        AppendRequest(claim.stream_id, claim.version, tuple(stored(e, ctx) for e in claim.events)),
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


async def rejoin(
    m: Members, member_id: str, unit_path: str, today: date, ctx: EventContext
) -> Outcome[Member, Any]:
    unit = await find_org(m.store, unit_path)
    return await execute(
        m.store,
        agg.members,
        agg.member_stream(member_id),
        lambda s: decide_rejoin(s, unit=unit, today=today),
        context=ctx,
    )


async def find_plan_year(store: EventStore, plan_id: str, year: int) -> PlanYear | None:
    """The plan year as members heard it from claims; None if never heard."""
    state, _ = await load(store, agg.plan_years, agg.plan_year_stream(plan_id, year))
    return state


async def enrol(
    m: Members, member_id: str, plan_id: str, year: int, today: date, ctx: EventContext
) -> Outcome[Member, Any]:
    known = await find_plan_year(m.store, plan_id, year)
    return await execute(
        m.store,
        agg.members,
        agg.member_stream(member_id),
        lambda s: decide_enrol(s, plan_id=plan_id, year=year, today=today, plan_year=known),
        context=ctx,
    )


async def erase(m: Members, member_id: str, today: date, ctx: EventContext) -> None:
    """Record the erasure and release the ID number (one transaction), then destroy the key
    (crypto-shredding). Destroying again is a no-op, so a retried DELETE after a crash in
    between finishes the job."""
    for attempt in range(3):
        state, version = await load(m.store, agg.members, agg.member_stream(member_id))
        erased = decide_erase(state, today=today)
        if not erased:
            break
        requests = [
            AppendRequest(
                agg.member_stream(member_id), version, tuple(stored(e, ctx) for e in erased)
            )
        ]
        data = await m.vault.open(member_id, state.sealed) if state.sealed else None
        if data is not None:  # the number is readable only now: free it for good
            stream, identity, identity_version = await identity_of(m, data.national_id)
            released = decide_release(identity, member_id=member_id)
            if released:
                events = tuple(stored(e, ctx) for e in released)
                requests.append(AppendRequest(stream, identity_version, events))
        try:
            await m.store.append_batch(requests)
            break
        except ConcurrencyError:
            if attempt == 2:
                raise
    await m.vault.destroy(member_id)
