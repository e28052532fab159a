"""The places a claim names, as claims' registries hold them: the orgs members registered down to
a service point (noted as claims' consumer of members' `org.registered` notes them) and the
city's hospitals (set as a city admin sets them). For tests that drive claims without a members
feed on NATS; tests that have one register orgs through it (`api/members_feed.py`)."""

from __future__ import annotations

import uuid

from claims.app import registry
from union_events.db import write_transaction
from union_events.events import EventContext
from union_events.store import EventStore

CITY, DINGHAI = "zhoushan", "zhoushan/dinghai"
POINT = f"{DINGHAI}/center"
ORGS = ((CITY, "city"), (DINGHAI, "district"), (POINT, "service_point"))
# code -> (name, district): the hospitals claims in these tests are filed with
ZHOUSHAN_HOSPITAL, DINGHAI_HOSPITAL = "ZS-001", "DH-01"
HOSPITALS = {ZHOUSHAN_HOSPITAL: ("舟山医院", None), DINGHAI_HOSPITAL: ("定海医院", DINGHAI)}


async def register_places(store: EventStore) -> None:
    """Zhoushan, Dinghai and its service point noted from members; the hospitals registered."""
    ctx = EventContext()
    for path, level in ORGS:
        parent = path.rsplit("/", 1)[0] if "/" in path else None
        org = {"path": path, "name": path, "level": level, "parent": parent}
        async with write_transaction(store.engine) as conn:
            await registry.note_org(store, conn, str(uuid.uuid4()), org, ctx)
    for code, (name, district) in HOSPITALS.items():
        await registry.set_hospital(store, code, name=name, city=CITY, district=district, ctx=ctx)
