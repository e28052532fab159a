"""Their side: the `eventsourcing` library's Application and Aggregate."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from .backends import Database
from .timing import expect, timed
from .workload import CONCURRENT_CALLERS, EVENTS_PER_AGGREGATE, NOTE, Workload, split


class Item(Aggregate):
    """Ten events per instance: the creation event and nine `Changed` events."""

    @event("Created")
    def __init__(self, amount: int, note: str) -> None:
        self.amount = amount
        self.note = note

    @event("Changed")
    def change(self, amount: int, note: str) -> None:
        self.amount = amount
        self.note = note


class BenchApplication(Application[UUID]):
    pass


def sequential_write_then_read(db: Database, workload: Workload) -> tuple[float, float]:
    """(a) one caller saves aggregate after aggregate; (c) `repository.get` each back."""
    items = _new_items(workload)
    app = _application(db)
    try:
        write_s, _ = timed(lambda: _save_each(app, items))
        expect("events recorded", app.recorder.max_notification_id() or 0, workload.events)
        read_s, read = timed(lambda: _get_each(app, [item.id for item in items]))
        expect("events read back", read, workload.events)
    finally:
        app.close()
    return write_s, read_s


def concurrent_write(db: Database, workload: Workload) -> float:
    """(b) the same saves from threads sharing one Application."""
    callers = split(_new_items(workload), CONCURRENT_CALLERS)
    app = _application(db)
    try:
        seconds, _ = timed(lambda: _save_from_threads(app, callers))
        expect("events recorded", app.recorder.max_notification_id() or 0, workload.events)
    finally:
        app.close()
    return seconds


def _application(db: Database) -> BenchApplication:
    """Creating the app creates its tables and opens its pool: not part of the timing."""
    return BenchApplication(env=db.eventsourcing_env(pool_size=CONCURRENT_CALLERS))


def _new_items(workload: Workload) -> list[Item]:
    """Aggregates with their ten events pending, built before the clock starts."""
    items = []
    for _ in range(workload.aggregates):
        item = Item(amount=0, note=NOTE)
        for n in range(1, EVENTS_PER_AGGREGATE):
            item.change(amount=n, note=NOTE)
        items.append(item)
    return items


def _save_each(app: BenchApplication, items: list[Item]) -> None:
    for item in items:
        app.save(item)


def _save_from_threads(app: BenchApplication, callers: list[list[Item]]) -> None:
    with ThreadPoolExecutor(max_workers=len(callers)) as pool:
        for finished in [pool.submit(_save_each, app, items) for items in callers]:
            finished.result()


def _get_each(app: BenchApplication, ids: list[UUID]) -> int:
    return sum(app.repository.get(aggregate_id).version for aggregate_id in ids)
