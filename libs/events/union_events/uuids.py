"""UUIDs as text for the ids the toolkit makes: random ones (version 4: correlation ids) and
time-ordered ones (version 7: event ids).

`str(uuid.uuid4())` asks the kernel for 16 bytes each time and builds a `UUID` object (an
int from the bytes, checks, the int formatted back) only to print it. Here the kernel's
random bytes are fetched 4 KiB at a time (the same `os.urandom`, so the same quality) and
formatted directly. Each `os.urandom` call releases the GIL; in the event loop's thread,
with the store's threads busy, getting it back can cost far more than the call itself,
which is what made `uuid4` show in the services' profiles. The text is the same kind:
lower-case, dashed, version 4, RFC 4122 variant. Thread-safe, and a forked child draws
bytes of its own.

Event ids are version 7 (RFC 9562: the Unix time in milliseconds, then 74 random bits): ids
made one after another sort together, so each append adds to the end of the log's unique
index on `event_id` instead of a random page of it. With random ids an append of ten events
changed about ten index pages, and SQLite wrote and synced about 17 WAL pages per commit
instead of 8 (`bench/event_store.py` row (a)); PostgreSQL's index and WAL gain the same way.
"""

from __future__ import annotations

import os
import threading
import time

_BATCH = 256  # UUIDs per os.urandom call
_VARIANT = "89ab"  # the variant's two top bits are 10: the 17th hex digit is one of these
_lock = threading.Lock()
_pool = b""
_at = 0


def _random_hex() -> str:
    """32 random hex digits (16 bytes) from the pool."""
    global _pool, _at
    with _lock:
        if _at >= len(_pool):
            _pool, _at = os.urandom(16 * _BATCH), 0
        h = _pool[_at : _at + 16].hex()
        _at += 16
    return h


def random_uuid() -> str:
    h = _random_hex()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"


def time_ordered_uuid() -> str:
    """A version 7 UUID: 48 bits of Unix milliseconds, the version, 12 random bits, the
    variant, 62 random bits. Ids of one millisecond are in random order among themselves."""
    t = f"{time.time_ns() // 1_000_000:012x}"
    h = _random_hex()
    return f"{t[:8]}-{t[8:]}-7{h[:3]}-{_VARIANT[int(h[3], 16) & 3]}{h[4:7]}-{h[7:19]}"


def _forget_pool() -> None:  # a forked child must not hand out its parent's next ids
    global _pool, _at
    _pool, _at = b"", 0


os.register_at_fork(after_in_child=_forget_pool)
