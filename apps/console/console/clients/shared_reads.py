"""City-wide reads that every staff page may show and every staff role may read — the
hospital registry, a plan year's rules — kept a short while for all sessions of this console
process, so a busy desk asks claims for them once per `ttl_s` rather than on every page.

Only answers are kept (a refusal or an outage is asked again next time). The console's own
writes forget what they change, and for `settle_s` after such a write nothing under it is kept
(the service's read models follow its log a moment later: an answer read then may not show the
write yet); a change made elsewhere (another console replica, the API) shows within `ttl_s`.

What a page shows from here is a hint (the required documents, a hospital's name): the service
still decides with its own current rules."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any


class SharedReads:
    def __init__(self, ttl_s: float = 30.0, settle_s: float = 10.0) -> None:
        self.ttl_s = ttl_s
        self.settle_s = settle_s
        self._kept: dict[str, tuple[float, Any]] = {}
        self._written: dict[str, float] = {}  # prefix -> when the console last wrote under it

    async def get(self, key: str, fetch: Callable[[], Awaitable[Any]]) -> Any:
        kept = self._kept.get(key)
        if kept is not None and time.monotonic() - kept[0] < self.ttl_s:
            return kept[1]
        asked = time.monotonic()
        value = await fetch()
        writes = (t for p, t in self._written.items() if key.startswith(p))
        settling = (asked - t < self.settle_s for t in writes)
        if not any(settling):
            self._kept[key] = (asked, value)
        return value

    def forget(self, prefix: str) -> None:
        """The console writes under `prefix`: drop what is kept, keep nothing until it settled."""
        self._written[prefix] = time.monotonic()
        for key in [k for k in self._kept if k.startswith(prefix)]:
            del self._kept[key]
