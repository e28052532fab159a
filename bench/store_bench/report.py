"""What gets printed: versions, then one table of medians."""

from __future__ import annotations

import os
import platform
import subprocess
from importlib.metadata import version

from rich.console import Console
from rich.table import Table
from union_events.embedded import find_nats_server

from .backends import Backend, PostgresBackend, SqliteBackend
from .ceiling import DRIVERS
from .runner import RAW, Measurement
from .workload import EVENTS_PER_AGGREGATE, Workload

Results = dict[Backend, dict[str, Measurement]]


def versions(backends: list[Backend]) -> list[tuple[str, str]]:
    rows = [("Python", f"{platform.python_version()} ({platform.python_implementation()})")]
    for backend in backends:
        if isinstance(backend, SqliteBackend):
            rows.append(("SQLite", f"{backend.version} (stdlib sqlite3, file, WAL)"))
        elif isinstance(backend, PostgresBackend):
            rows.append(("PostgreSQL", f"{backend.version} (from {backend.source})"))
    rows.append(("nats-server", _nats_server_version()))
    libraries = ("eventsourcing", "sqlalchemy", "aiosqlite", "asyncpg", "psycopg", "nats-py")
    rows.append(("libraries", ", ".join(f"{lib} {version(lib)}" for lib in libraries)))
    rows.append(("machine", f"{platform.machine()}, {os.cpu_count()} CPUs"))
    return rows


def print_versions(console: Console, backends: list[Backend]) -> None:
    table = Table(show_header=False, box=None, padding=(0, 2, 0, 0))
    for name, value in versions(backends):
        table.add_row(f"[bold]{name}[/]", value)
    console.print(table)


def results_table(results: Results, workload: Workload, repeat: int) -> Table:
    title = (
        f"Events/s, median of {repeat} run(s); {workload.events:,} events = "
        f"{workload.aggregates:,} aggregates × {EVENTS_PER_AGGREGATE} per measurement"
    )
    table = Table(title=title, title_justify="left")
    table.add_column("Measurement")
    table.add_column("DB")
    table.add_column("ours ev/s", justify="right")
    table.add_column("ours min–max", justify="right")
    table.add_column("compared with")
    table.add_column("their ev/s", justify="right")
    table.add_column("ours/theirs", justify="right")
    for i, (backend, measured) in enumerate(results.items()):
        if i:
            table.add_section()
        for m in measured.values():
            table.add_row(m.title, backend.name, *_cells(m, backend.kind))
    return table


def _cells(m: Measurement, kind: str) -> tuple[str, str, str, str, str]:
    spread = f"{_k(min(m.ours))}–{_k(max(m.ours))}"
    theirs = m.theirs_median
    if m.reference is None or theirs is None:
        return f"{m.ours_median:,.0f}", spread, _stream_counts(m.messages), "", ""
    ratio = m.ours_median / theirs
    if m.reference == RAW:
        reference, shown = f"{RAW} ({DRIVERS[kind]})", f"{ratio:.0%} of it"
    else:
        reference, shown = m.reference, f"{ratio:.2f}×"
    return f"{m.ours_median:,.0f}", spread, reference, f"{theirs:,.0f}", shown


def _stream_counts(counts: list[int]) -> str:
    if len(set(counts)) == 1:
        return f"stream got {counts[0]:,} msgs ×{len(counts)}"
    return "stream got " + " / ".join(f"{c:,}" for c in counts)


def _k(value: float) -> str:
    return f"{value / 1000:.1f}k"


def _nats_server_version() -> str:
    try:
        out = subprocess.run(
            [str(find_nats_server()), "--version"], capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError, RuntimeError) as exc:
        return f"unknown ({exc})"
    return out.stdout.strip()
