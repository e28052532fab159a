"""Foreground supervision of the embedded platform: NATS plus the service processes (the four
services and the staff console).

Children run in their own sessions (a terminal Ctrl-C reaches only the supervisor, which
then stops them in order: services first, NATS last) and die with the supervisor if it is
killed. Exit code: 0 after SIGINT/SIGTERM, 1 when something fails to start or dies.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import IO

from rich.console import Console
from rich.table import Table
from union_events.embedded import NatsServer, NatsServerError
from union_events.embedded._proc import die_with_parent, tail

from unionctl.services import ServiceSpec


@dataclass
class Child:
    spec: ServiceSpec
    log_path: Path
    proc: subprocess.Popen[bytes]


class Supervisor:
    def __init__(
        self,
        specs: list[ServiceSpec],
        *,
        nats_url: str,
        log_dir: Path,
        nats: NatsServer | None = None,
        ready_timeout: float = 60.0,
        stop_timeout: float = 10.0,
        console: Console | None = None,
        ready_message: str = "",
        then: list[ServiceSpec] | None = None,
    ) -> None:
        self.specs = specs
        self.nats_url = nats_url
        self.nats = nats
        self.log_dir = log_dir
        self.ready_timeout = ready_timeout
        self.stop_timeout = stop_timeout
        self.console = console or Console()
        self.children: list[Child] = []
        self.ready_message = ready_message  # printed once everything is ready (the console's)
        self.then = then or []  # started once `specs` are ready (the console, after the services)
        self._stop = threading.Event()
        self._signal: int | None = None

    def run(self) -> int:
        """Start everything, wait for readiness, supervise until a signal. Returns exit code."""
        previous = {s: signal.signal(s, self._on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            return self._run()
        finally:
            self.shutdown()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self._signal = signum
        self._stop.set()

    def _run(self) -> int:
        if self.nats is not None:
            try:
                self.nats.start()
            except NatsServerError as exc:
                self.console.print(f"[red]NATS failed to start:[/red] {exc}")
                return 1
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for spec in self.specs:
            self.children.append(self._spawn(spec))
        self.console.print(self._table())
        for child in self.children:
            if not self._wait_ready(child):
                return self._stopped() if self._stop.is_set() else 1
        for spec in self.then:
            child = self._spawn(spec)
            self.children.append(child)
            self.console.print(f"{spec.name} started (pid {child.proc.pid}, log {child.log_path})")
            if not self._wait_ready(child):
                return self._stopped() if self._stop.is_set() else 1
        self.console.print("[green]all services ready[/green] — Ctrl-C to stop")
        if self.ready_message:
            self.console.print(self.ready_message, markup=False, highlight=False)
        return self._watch()

    def _stopped(self) -> int:
        name = signal.Signals(self._signal).name if self._signal else "signal"
        self.console.print(f"{name} received, stopping")
        return 0

    def _spawn(self, spec: ServiceSpec) -> Child:
        log_path = self.log_dir / f"{spec.name}.log"
        with open(log_path, "wb") as log:
            proc = _popen(spec, log)
        return Child(spec=spec, log_path=log_path, proc=proc)

    def _table(self) -> Table:
        table = Table(title="union platform (embedded)")
        for column in ("component", "url", "pid", "log"):
            table.add_column(column)
        if self.nats is not None:
            nats_log = str(self.nats.log_path)
            table.add_row("nats", self.nats_url, str(self.nats.pid), nats_log)
        else:
            table.add_row("nats (external)", self.nats_url, "-", "-")
        for child in self.children:
            row = (child.spec.name, child.spec.url, str(child.proc.pid), str(child.log_path))
            table.add_row(*row)
        return table

    def _wait_ready(self, child: Child) -> bool:
        deadline = time.monotonic() + self.ready_timeout
        while not self._stop.is_set():
            if self._dead() is not None:
                return False
            if _ready(child.spec.url + "/readyz"):
                self.console.print(f"{child.spec.name} ready at {child.spec.url}")
                return True
            if time.monotonic() > deadline:
                self.console.print(
                    f"[red]{child.spec.name} not ready within {self.ready_timeout:.0f}s[/red]"
                )
                self._print_tail(child)
                return False
            self._stop.wait(0.2)
        return False

    def _watch(self) -> int:
        while not self._stop.wait(0.2):
            if self._dead() is not None:
                return 1
        return self._stopped()

    def _dead(self) -> str | None:
        """Report and return the name of a component that died, if any."""
        for child in self.children:
            code = child.proc.poll()
            if code is not None:
                self.console.print(
                    f"[red]{child.spec.name} exited unexpectedly (code {code})[/red]"
                )
                self._print_tail(child)
                return child.spec.name
        if self.nats is not None and not self.nats.running:
            self.console.print("[red]nats-server exited unexpectedly[/red]")
            self.console.print(tail(self.nats.log_path), markup=False, highlight=False)
            return "nats"
        return None

    def _print_tail(self, child: Child) -> None:
        self.console.rule(f"last lines of {child.log_path}")
        self.console.print(tail(child.log_path), markup=False, highlight=False)
        self.console.rule()

    def shutdown(self) -> None:
        """Stop the services (SIGTERM, then SIGKILL after stop_timeout), then NATS. Idempotent."""
        for child in self.children:
            _signal_group(child.proc, signal.SIGTERM)
        deadline = time.monotonic() + self.stop_timeout
        for child in self.children:
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.proc.wait(max(0.0, deadline - time.monotonic()))
        for child in self.children:
            if child.proc.poll() is None:
                _signal_group(child.proc, signal.SIGKILL)
                child.proc.wait()
        self.children.clear()
        if self.nats is not None:
            self.nats.stop(self.stop_timeout)


def _popen(spec: ServiceSpec, log: IO[bytes]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        spec.command(),
        env=dict(spec.env),
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=die_with_parent(),
    )


def _signal_group(proc: subprocess.Popen[bytes], sig: int) -> None:
    """Signal the child's whole process group (it leads its own session)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, sig)


_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _ready(url: str) -> bool:
    try:
        with _DIRECT.open(url, timeout=1.0) as response:
            return int(response.status) == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False
