"""The registries claims keeps beside its claims, each entry a stream of its own:

- `org-<path>`: an org members registered (`org.noted`, from members' `org.registered`);
- `hospital-<code>`: a hospital of the city's registry (`hospital.set`, by a city admin).

Filing reads the service point and the invoices' hospitals in one read; paying reads the
paying point. Both refuse what the registries do not hold (`domain.registry`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection
from union_events.commands import Work, fold, load, run
from union_events.errors import NotFound
from union_events.events import EventContext
from union_events.orgs import validate_org_path
from union_events.store import EventStore

from ..domain import facts
from ..domain.events import Invoice
from ..domain.registry import (
    Hospital,
    Org,
    decide_hospital,
    hospital_code,
    require_hospitals,
    require_service_point,
)
from .aggregates import hospital_stream as hospital_stream
from .aggregates import hospitals as hospitals
from .aggregates import org_stream as org_stream
from .aggregates import orgs as orgs

HOSPITAL_SET = facts.EVENT_TYPES[Hospital]


def hospital_data(hospital: Hospital) -> dict[str, Any]:
    return facts.encode(hospital)[1]


async def note_org(
    store: EventStore,
    conn: AsyncConnection,
    cause_id: str,
    org: Mapping[str, Any],
    ctx: EventContext,
) -> None:
    """Members registered an org: noted once, whatever is redelivered (event ids derived from
    the cause)."""
    noted = facts.OrgNoted(org["path"], org["name"], org["level"], org.get("parent"))

    async def command(work: Work) -> None:
        work.emit(orgs, org_stream(noted.path), [noted])

    await run(store, command, context=replace(ctx, causation_id=cause_id), conn=conn)


async def org(store: EventStore, path: str) -> Org | None:
    return (await load(store, orgs, org_stream(validate_org_path(path, what="org"))))[0]


async def service_point(store: EventStore, path: str) -> str:
    """The path, if members registered it as a service point (422 otherwise)."""
    cleaned = validate_org_path(path, what="service point")
    return require_service_point(cleaned, (await load(store, orgs, org_stream(cleaned)))[0])


async def checked_places(
    store: EventStore, path: str, invoices: tuple[Invoice, ...]
) -> tuple[str, tuple[Invoice, ...], dict[str, Hospital]]:
    """A filing's service point and its invoices' hospitals, read at once and checked: the
    point, the invoices naming their hospitals by code, and those hospitals by code."""
    cleaned = validate_org_path(path, what="service point")
    codes = sorted({hospital_code(i.hospital) for i in invoices})
    found = await store.read_streams([org_stream(cleaned), *map(hospital_stream, codes)])
    point = require_service_point(cleaned, fold(orgs, found[org_stream(cleaned)]))
    known = {code: h for code in codes if (h := fold(hospitals, found[hospital_stream(code)]))}
    return point, require_hospitals(invoices, known), known


async def hospital(store: EventStore, code: str) -> Hospital:
    code = hospital_code(code)
    found = (await load(store, hospitals, hospital_stream(code)))[0]
    if found is None:
        raise NotFound(f"no hospital of code {code} is registered", code="unknown_hospital")
    return found


async def set_hospital(
    store: EventStore,
    code: str,
    *,
    name: str,
    city: str,
    district: str | None,
    ctx: EventContext,
) -> Hospital:
    """Register a hospital in a city's registry, or change its name or district."""
    code = hospital_code(code)
    city = validate_org_path(city, depth=1, what="city")
    if district is not None:
        district = validate_org_path(district, depth=2, what="district")

    async def command(work: Work) -> Hospital:
        current = await work.load(hospitals, hospital_stream(code))
        decided = decide_hospital(current, code=code, name=name, city=city, district=district)
        work.emit(hospitals, hospital_stream(code), decided)
        if not decided:
            assert current is not None
            return current
        return decided[-1]

    return await run(store, command, context=ctx)
