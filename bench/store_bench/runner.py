"""One run = every measurement once on one backend, each on a fresh database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from statistics import median
from typing import TypeVar

from . import ceiling, ours, relaying, theirs
from .backends import Backend
from .workload import CONCURRENT_CALLERS, Workload

T = TypeVar("T")

EVENTSOURCING = "eventsourcing"
RAW = "raw ceiling"


@dataclass
class Measurement:
    """Events/s of ours and of the reference, one entry per run."""

    key: str
    title: str
    reference: str | None
    ours: list[float] = field(default_factory=list)
    theirs: list[float] = field(default_factory=list)
    messages: list[int] = field(default_factory=list)

    @property
    def ours_median(self) -> float:
        return median(self.ours)

    @property
    def theirs_median(self) -> float | None:
        return median(self.theirs) if self.theirs else None


def measurements() -> dict[str, Measurement]:
    specs = [
        ("a", "(a) write, 1 caller", EVENTSOURCING),
        ("b", f"(b) write, {CONCURRENT_CALLERS} callers", EVENTSOURCING),
        ("c", "(c) read each aggregate", EVENTSOURCING),
        ("d", "(d) one batch append", RAW),
        ("e", "(e) relay to JetStream", None),
    ]
    return {key: Measurement(key, title, ref) for key, title, ref in specs}


def run_once(
    backend: Backend, workload: Workload, nats_url: str, results: dict[str, Measurement]
) -> None:
    def rate(seconds: float) -> float:
        return workload.events / seconds

    def fresh(measure: Callable[..., T], *args: object) -> T:
        with backend.fresh() as db:
            return measure(db, workload, *args)

    ours_a, ours_c = fresh(ours.sequential_write_then_read)
    theirs_a, theirs_c = fresh(theirs.sequential_write_then_read)
    _add(results["a"], rate(ours_a), rate(theirs_a))
    _add(results["c"], rate(ours_c), rate(theirs_c))
    _add(results["b"], rate(fresh(ours.concurrent_write)), rate(fresh(theirs.concurrent_write)))
    _add(results["d"], rate(fresh(ours.batch_append)), rate(fresh(ceiling.raw_insert)))
    relay_s, messages = fresh(relaying.relay_publish, nats_url)
    _add(results["e"], rate(relay_s), None)
    results["e"].messages.append(messages)


def _add(m: Measurement, ours_rate: float, theirs_rate: float | None) -> None:
    m.ours.append(ours_rate)
    if theirs_rate is not None:
        m.theirs.append(theirs_rate)
