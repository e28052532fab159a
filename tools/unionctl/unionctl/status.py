"""`unionctl status`: each service's liveness, readiness, relay lag and consumer lag."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from rich.table import Table

_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class ServiceStatus:
    name: str
    url: str
    alive: bool = False
    ready: bool = False
    checks: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    reason: str = ""  # why it is not ready, when it says (the log behind its stream)

    @property
    def relay_lag(self) -> str:
        return str(self.checks.get("relay_lag", "-"))

    @property
    def consumer_lag(self) -> dict[str, Any]:
        lag = self.checks.get("consumer_lag")
        return lag if isinstance(lag, dict) else {}


def _get(url: str, timeout: float) -> tuple[int, dict[str, Any]]:
    """Status code and JSON body; an HTTP error status is an answer, not a failure."""
    try:
        with _DIRECT.open(url, timeout=timeout) as response:
            return int(response.status), json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        try:
            return exc.code, json.loads(exc.read() or b"{}")
        except ValueError:
            return exc.code, {}


def probe(name: str, url: str, timeout: float = 3.0) -> ServiceStatus:
    status = ServiceStatus(name, url)
    try:
        code, _ = _get(f"{url}/healthz", timeout)
        status.alive = code == 200
        code, body = _get(f"{url}/readyz", timeout)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        status.error = str(getattr(exc, "reason", exc))
        return status
    status.ready = code == 200
    status.checks = body.get("checks", {}) if isinstance(body, dict) else {}
    status.reason = str(body.get("reason", "")) if isinstance(body, dict) else ""
    return status


def probe_all(targets: dict[str, str], timeout: float = 3.0) -> list[ServiceStatus]:
    with ThreadPoolExecutor(max_workers=len(targets) or 1) as pool:
        futures = [pool.submit(probe, name, url, timeout) for name, url in targets.items()]
        return [f.result() for f in futures]


def status_table(statuses: list[ServiceStatus]) -> Table:
    table = Table(title="union platform status")
    for column in ("service", "url", "health", "ready", "database", "nats", "stream", "relay lag"):
        table.add_column(column, justify="right" if column == "relay lag" else "left")
    table.add_column("relay")
    table.add_column("consumer lag")
    for s in statuses:
        if not s.alive and not s.checks:
            down = f"[red]down[/red] ({s.error})" if s.error else "[red]down[/red]"
            table.add_row(s.name, s.url, down, "[red]no[/red]", "-", "-", "-", "-", "-")
            continue
        consumers = "\n".join(f"{name}: {lag}" for name, lag in sorted(s.consumer_lag.items()))
        table.add_row(
            s.name,
            s.url,
            "[green]ok[/green]" if s.alive else "[red]failing[/red]",
            "[green]yes[/green]" if s.ready else "[red]no[/red]",
            str(s.checks.get("database", "-")),
            str(s.checks.get("nats", "-")),
            _stream(str(s.checks.get("stream", "-"))),
            s.relay_lag,
            str(s.checks.get("relay", "-")),  # active (publishes), standby, stopped
            consumers or "-",
        )
    return table


def _stream(text: str) -> str:
    """Its stream's replicas, in yellow when one is not current (a node down or behind)."""
    if "/" in text:
        current, _, rest = text.partition("/")
        if current.rsplit(" ", 1)[-1] != rest.split(" ", 1)[0]:
            return f"[yellow]{text}[/yellow]"
    return text


def reasons(statuses: list[ServiceStatus]) -> list[str]:
    """One line per service that says why it is not ready."""
    return [f"{s.name}: {s.reason}" for s in statuses if s.reason]
