"""`unionctl replay SERVICE PROJECTION`: empty one read model and rebuild it from the log."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from union_events.db import create_tables
from union_events.projections import REBUILD_BATCH, Projection, rebuild
from union_events.service import ServiceDefinition
from union_events.store import EventStore

from unionctl.services import SERVICES

Progress = Callable[[int, int], None]


class UnknownName(ValueError):
    pass


def definition_of(service: str) -> ServiceDefinition:
    if service not in SERVICES:
        raise UnknownName(f"unknown service {service!r}; services: {', '.join(SERVICES)}")
    module = importlib.import_module(f"{service}.bootstrap")
    definition: ServiceDefinition = module.definition()
    return definition


def projection_of(definition: ServiceDefinition, name: str) -> Projection:
    projections = {p.name: p for p in definition.projections}
    if name not in projections:
        valid = ", ".join(sorted(projections)) or "none"
        raise UnknownName(f"{definition.name} has no projection {name!r}; projections: {valid}")
    return projections[name]


async def replay(
    definition: ServiceDefinition,
    projection: Projection,
    database_url: str,
    progress: Progress | None = None,
    batch_size: int = REBUILD_BATCH,
) -> tuple[int, int]:
    """Rebuild `projection` in the service's database; (events applied, head position)."""
    store = await EventStore.open(database_url)
    try:
        if definition.metadata is not None:  # as the service does at start-up
            await create_tables(store.engine, definition.metadata)
        head = await store.head_position()
        applied = await rebuild(store, projection, batch_size, progress)
        return applied, head
    finally:
        await store.close()
