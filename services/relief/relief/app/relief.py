"""The relief service's handle on its parts, and the district standards (低保标准)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from union_events.commands import Work, run
from union_events.errors import Forbidden
from union_events.events import EventContext
from union_events.store import EventStore

from ..domain import codec
from ..domain.jurisdiction import Actor, may_set_standard
from ..domain.standards import StandardSet, decide_set_standard, standard_on
from ..privacy import HouseholdVault, load_kek
from ..settings import ReliefSettings
from .aggregates import standard_stream


@dataclass
class Relief:
    store: EventStore
    vault: HouseholdVault
    settings: ReliefSettings


async def build_relief(store: EventStore, data_dir: Path, settings: ReliefSettings) -> Relief:
    vault = HouseholdVault(store.engine, load_kek(data_dir, settings.secret))
    await vault.create()
    return Relief(store, vault, settings)


async def standards_of(store: EventStore, district: str) -> list[StandardSet]:
    return [
        codec.decode(e.type, e.data) for e in await store.read_stream(standard_stream(district))
    ]


async def standard_for(store: EventStore, district: str, on: date) -> Decimal | None:
    return standard_on(await standards_of(store, district), on)


async def set_standard(
    r: Relief,
    *,
    district: str,
    amount: Decimal,
    effective_from: date,
    actor: Actor | None,
    ctx: EventContext,
) -> StandardSet:
    """Set by a city admin, or the officer of that district (when the caller is known)."""
    if actor is not None and not may_set_standard(actor.org, district, actor.role):
        raise Forbidden(
            f"a {actor.role} of {actor.org} may not set the standard of {district}",
            code="outside_jurisdiction",
        )
    [event] = decide_set_standard(district, amount, effective_from, actor.role if actor else "")

    async def command(work: Work) -> None:
        work.append(standard_stream(event.district), [codec.encode(event)])  # not read: unchecked

    await run(r.store, command, context=ctx)
    return event
