"""Small process and port helpers shared by the embedded servers and the supervisor."""

from __future__ import annotations

import contextlib
import ctypes
import os
import random
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

# Ports that belong to the machine or to the platform's fixed defaults: never hand them out.
RESERVED_PORTS = frozenset({4222, 4322, 5432, 8101, 8102, 8103, 8104})

_PR_SET_PDEATHSIG = 1


# Ports handed out below the kernel's ephemeral range (32768-60999 on Linux), so that no
# outgoing connection takes one between its choice and the server's bind; each pytest-xdist
# worker has a band of its own, so that two workers never choose the same port; this process
# never hands out a port twice (two servers of one test given one port was a flake once: an
# HTTP probe read NATS's INFO line).
_PORT_LOW, _PORT_BAND = 12000, 2000  # nine bands: 12000-29999
_handed_out: set[int] = set()


def _band() -> range:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # gw0, gw1, ...
    n = int(worker[2:]) % 8 if worker[2:].isdigit() else 8  # 8: not under xdist
    start = _PORT_LOW + n * _PORT_BAND
    return range(start, start + _PORT_BAND)


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port that is free right now on `host` (never a reserved one, never one
    this process handed out before, from this pytest worker's band)."""
    band = _band()
    for _ in range(len(band)):
        port = random.choice(band)
        if port in RESERVED_PORTS or port in _handed_out:
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((host, port))
            except OSError:
                continue
        _handed_out.add(port)
        return port
    raise RuntimeError(f"no free port left in {band.start}-{band.stop - 1} on {host}")


def port_accepts(host: str, port: int, timeout: float = 0.2) -> bool:
    """True when something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def die_with_parent(sig: int = signal.SIGTERM) -> Callable[[], None]:
    """A `preexec_fn` asking Linux to send `sig` to the child when its parent dies.

    Only use it from the main thread: the signal fires when the *thread* that spawned
    the child exits.
    """

    def _preexec() -> None:
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, sig, 0, 0, 0)

    return _preexec


def terminate(proc: subprocess.Popen[bytes], timeout: float = 10.0) -> int:
    """SIGTERM `proc`, wait up to `timeout` seconds, then SIGKILL. Returns the exit code."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            proc.wait()
    return int(proc.returncode)


def kill(proc: subprocess.Popen[bytes]) -> int:
    """SIGKILL `proc` and reap it. Returns the exit code."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
        proc.wait()
    return int(proc.returncode)


def tail(path: Path, lines: int = 40) -> str:
    """The last `lines` lines of a text file ('' when it does not exist)."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def pid_alive(pid: int) -> bool:
    """True when a process with this pid exists and is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def wait_until(predicate: Callable[[], bool], timeout: float, interval: float = 0.05) -> bool:
    """Poll `predicate` until it is true or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()
