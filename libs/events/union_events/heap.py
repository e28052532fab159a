"""Give memory the process has freed back to the operating system (glibc's `malloc_trim`).

A big request (10,000 QR sign-ups in one batch) or a big catch-up (the relay publishing
them, the projections applying them) allocates a hundred MiB of short-lived objects and
frees them. The C allocator keeps the freed pages: the process stays at its peak until
something asks for them back. `trim_freed` runs in every service process (every role);
twice a second it asks the allocator how much it holds free (`mallinfo2`) and, when that has
grown by `TRIM_AFTER_FREED` since the last trim, or the process has gone quiet with a MiB more
free, returns the free pages (`malloc_trim(0)`, on a thread: the event loop goes on; a trim
after a 10,000 sign-up batch takes 10–40 ms).

It pays off fully with `PYTHONMALLOC=malloc` (how `unionctl up`, the image and the benchmarks
that start services run members: `process_env`): Python's own small-object allocator keeps
whole 1 MiB arenas while one object in them lives, where `malloc_trim` returns every free
4 KiB page. Without glibc (musl, macOS) this does nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import logging
import sys
import time
from functools import cache

log = logging.getLogger(__name__)

# The services that take bulk batches run on the C allocator, so a burst's memory comes back;
# the others keep Python's (a few per cent less CPU per request: claims' throughput). How
# `unionctl up`, the image's entrypoint and the benchmarks start them; an operator's own
# PYTHONMALLOC wins.
C_ALLOCATOR_SERVICES = frozenset({"members"})


def process_env(service: str) -> dict[str, str]:
    """The environment variables a process of `service` starts with (see above)."""
    return {"PYTHONMALLOC": "malloc"} if service in C_ALLOCATOR_SERVICES else {}


TRIM_AFTER_FREED = 8 * 2**20  # bytes freed since the last look that make a trim worth it
LOOK_EVERY_S = 0.5
QUIET_TRIM = 2**20  # more free than at the last trim, once quiet: worth one more
QUIET_MOVE = 256 * 2**10  # what lies free moved less than this between two looks: quiet


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


@cache
def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
        libc.malloc_trim.restype = ctypes.c_int
        libc.mallinfo2.restype = _MallInfo2
    except (OSError, AttributeError):  # not glibc, or a glibc before 2.33
        return None
    return libc


def available() -> bool:
    """Whether this process's C library can be asked (glibc 2.33 or later)."""
    return _libc() is not None


def freed_bytes() -> int:
    """Bytes the C allocator holds free (0 where it cannot be asked)."""
    libc = _libc()
    return int(libc.mallinfo2().fordblks) if libc is not None else 0


def trim() -> None:
    """Return the allocator's free pages to the operating system now."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


def rss_bytes() -> int:
    """Resident memory of this process (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * _page_size()
    except OSError:
        return 0


@cache
def _page_size() -> int:
    import resource

    return resource.getpagesize()


async def trim_freed(
    stop: asyncio.Event,
    *,
    after_freed: int = TRIM_AFTER_FREED,
    every_s: float = LOOK_EVERY_S,
) -> None:
    """Until `stop`: trim whenever `after_freed` more bytes lie free than at the last trim
    (memory reused in between lowers the mark, so freeing it again counts), and once more
    when the process has gone quiet (what lies free has stopped moving) with at least
    `QUIET_TRIM` more free: the tail of a burst, which the first rule would leave."""
    if not available():
        return
    mark = previous = await asyncio.to_thread(freed_bytes)  # a look walks the free lists
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every_s)
        if stop.is_set():
            return
        freed = await asyncio.to_thread(freed_bytes)
        quiet = abs(freed - previous) < QUIET_MOVE and freed - mark >= QUIET_TRIM
        previous = freed
        if freed - mark < after_freed and not quiet:
            mark = min(mark, freed)
            continue
        before, started = rss_bytes(), time.perf_counter()
        await asyncio.to_thread(trim)
        mark = previous = await asyncio.to_thread(freed_bytes)
        log.debug(
            "gave back %.0f MiB (%.0f MiB were free) in %.0f ms",
            (before - rss_bytes()) / 2**20,
            freed / 2**20,
            (time.perf_counter() - started) * 1000,
        )
