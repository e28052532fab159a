"""The registries claims keeps beside its claims, each entry a stream of its own:

- `org-<path>`: an org members registered (`org.noted`, from members' `org.registered`);
- `hospital-<code>`: a hospital of the city's registry (`hospital.set`, by a city admin).

Filing reads the service point and the invoices' hospitals in one read; paying reads the
paying point. Both refuse what the registries do not hold (`domain.registry`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection
from union_events.appending import AppendRequest
from union_events.commands import derived_event_id
from union_events.errors import ConcurrencyError, Conflict, NotFound
from union_events.events import EventContext, NewEvent
from union_events.orgs import validate_org_path
from union_events.store import EventStore

from ..domain.events import Invoice
from ..domain.registry import (
    Hospital,
    Org,
    decide_hospital,
    hospital_code,
    require_hospitals,
    require_service_point,
)

ORG_NOTED = "union.claims.org.noted.v1"
HOSPITAL_SET = "union.claims.hospital.set.v1"


def org_stream(path: str) -> str:
    return f"org-{path}"


def hospital_stream(code: str) -> str:
    return f"hospital-{code}"


def _org(events: list[Any]) -> Org | None:
    if not events:
        return None
    d = events[-1].data
    return Org(d["path"], d["name"], d["level"])


def _hospital(events: list[Any]) -> Hospital | None:
    if not events:
        return None
    d = events[-1].data
    return Hospital(d["code"], d["name"], d["city"], d.get("district"))


def hospital_data(hospital: Hospital) -> dict[str, Any]:
    return {
        "code": hospital.code,
        "name": hospital.name,
        "city": hospital.city,
        "district": hospital.district,
    }


async def note_org(
    store: EventStore,
    conn: AsyncConnection,
    cause_id: str,
    org: Mapping[str, Any],
    ctx: EventContext,
) -> None:
    """Members registered an org: noted once, whatever is redelivered (a derived event id)."""
    stream = org_stream(org["path"])
    data = {k: org.get(k) for k in ("path", "name", "level", "parent")}
    noted = NewEvent(ORG_NOTED, data, id=derived_event_id(cause_id, stream, 0), context=ctx)
    await store.append_in(conn, AppendRequest(stream, None, (noted,)))


async def org(store: EventStore, path: str) -> Org | None:
    return _org(await store.read_stream(org_stream(validate_org_path(path, what="org"))))


async def service_point(store: EventStore, path: str) -> str:
    """The path, if members registered it as a service point (422 otherwise)."""
    cleaned = validate_org_path(path, what="service point")
    return require_service_point(cleaned, _org(await store.read_stream(org_stream(cleaned))))


async def checked_places(
    store: EventStore, path: str, invoices: tuple[Invoice, ...]
) -> tuple[str, tuple[Invoice, ...], dict[str, Hospital]]:
    """A filing's service point and its invoices' hospitals, read at once and checked: the
    point, the invoices naming their hospitals by code, and those hospitals by code."""
    cleaned = validate_org_path(path, what="service point")
    codes = {hospital_code(i.hospital) for i in invoices}
    ids = [org_stream(cleaned), *(hospital_stream(code) for code in sorted(codes))]
    found = await store.read_streams(ids)
    point = require_service_point(cleaned, _org(found[org_stream(cleaned)]))
    known = {code: h for code in codes if (h := _hospital(found[hospital_stream(code)]))}
    return point, require_hospitals(invoices, known), known


async def hospital(store: EventStore, code: str) -> Hospital:
    code = hospital_code(code)
    found = _hospital(await store.read_stream(hospital_stream(code)))
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
    for _attempt in range(10):
        events = await store.read_stream(hospital_stream(code))
        current = _hospital(events)
        decided = decide_hospital(current, code=code, name=name, city=city, district=district)
        if not decided:
            assert current is not None
            return current
        new = [NewEvent(HOSPITAL_SET, hospital_data(h), context=ctx) for h in decided]
        try:
            await store.append(hospital_stream(code), len(events), new)
        except ConcurrencyError:
            continue
        return decided[-1]
    raise Conflict("the hospital kept changing; try again", code="concurrent_change")
