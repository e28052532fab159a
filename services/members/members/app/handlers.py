"""Command handlers: read, decide (domain), append (`union_events.commands.run`). One small
function per command."""

from __future__ import annotations

import uuid
from collections.abc import Container, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from union_events.commands import Outcome, Work, execute, load, run
from union_events.errors import ConcurrencyError, Conflict, DomainError
from union_events.events import EventContext
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


async def identity_of(m: Members, national_id: str) -> tuple[str, Identity, int]:
    """The number's identity stream, who holds it (if anyone) and its version."""
    stream = agg.identity_stream(identity_hash(m.secrets, national_id))
    state, version = await load(m.store, agg.identities, stream)
    return stream, state, version


async def claim(work: Work, identity: str, member_id: str) -> list[object]:
    """Claim the identity stream (read in `work`, so appended at the version read) for
    `member_id`, or 409 `member_exists` naming its holder and the holder's status."""
    state = await work.load(agg.identities, identity)
    status = None
    if state.holder is not None:
        status = (await work.load(agg.members, agg.member_stream(state.holder))).status
    return list(decide_claim(state, member_id=member_id, holder_status=status))


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
    with the new card and member streams, so a concurrent second registration gets 409."""
    data = admissible(data, today)
    unit = await find_org(m.store, unit_path)
    member_id = str(uuid.uuid4())
    identity = agg.identity_stream(identity_hash(m.secrets, data.national_id))
    sealed: str | None = None  # sealed once, kept when the command is decided again

    async def command(work: Work) -> str:
        nonlocal sealed
        card_no = new_card_no()
        await work.read(identity, agg.card_stream(card_no))  # one query; both appended as read
        claimed = await claim(work, identity, member_id)
        # The rules first (unknown unit...), so a refused registration leaves no key behind.
        blank = agg.members.initial()
        decide_register(blank, member_id=member_id, card_no="", unit=unit, sealed="", today=today)
        if sealed is None:
            sealed = await m.vault.seal(member_id, data)
        card_no = await free_card(work, card_no)
        events = decide_register(
            blank, member_id=member_id, card_no=card_no, unit=unit, sealed=sealed, today=today
        )
        registration(work, identity, claimed, member_id, card_no, events)
        return card_no

    try:
        return member_id, await run(m.store, command, context=ctx)
    except (DomainError, ConcurrencyError) as exc:
        if sealed is not None:
            await m.vault.destroy(member_id)  # the loser's key guards nothing
        if isinstance(exc, ConcurrencyError):  # still clashing after the last attempt
            raise Conflict(
                "this ID number was registered at the same moment; try again",
                code="concurrent_registration",
            ) from exc
        raise


async def free_card(work: Work, card_no: str, taken: Container[str] = frozenset()) -> str:
    """`card_no`, or if that one is taken (astronomically rare) another, not in `taken` (the
    batch's other cards): the card's stream is read, so it is appended as a new stream."""
    for _attempt in range(3):
        if not await work.stream(agg.card_stream(card_no)):
            return card_no
        card_no = new_card_no()
        while card_no in taken:
            card_no = new_card_no()
    raise Conflict("could not issue a card number; try again", code="card_clash")


def registration(
    work: Work,
    identity: str,
    claimed: Sequence[object],
    member_id: str,
    card_no: str,
    events: Sequence[object],
) -> None:
    """The three streams one registration appends to (in the command's one batch): the
    identity and the card streams at the versions `work` read them at (a card number may
    clash), the member stream unchecked (new by its random id)."""
    work.emit(agg.identities, identity, claimed)
    work.append(agg.card_stream(card_no), [codec.encode(CardIssued(member_id))])
    work.emit(agg.members, agg.member_stream(member_id), events)


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
    """Record the erasure and release the ID number (one batch), then destroy the key
    (crypto-shredding). Destroying again is a no-op, so a retried DELETE after a crash in
    between finishes the job."""

    async def command(work: Work) -> None:
        state = await work.load(agg.members, agg.member_stream(member_id))
        erased = decide_erase(state, today=today)
        if not erased:
            return
        work.emit(agg.members, agg.member_stream(member_id), erased)
        data = await m.vault.open(member_id, state.sealed) if state.sealed else None
        if data is not None:  # the number is readable only now: free it for good
            identity = agg.identity_stream(identity_hash(m.secrets, data.national_id))
            held = await work.load(agg.identities, identity)
            work.emit(agg.identities, identity, decide_release(held, member_id=member_id))

    await run(m.store, command, context=ctx)
    await m.vault.destroy(member_id)
