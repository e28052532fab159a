"""Every staff account, folded from the console's log: the read model behind the lists.

Kept in memory and caught up from the log (by global position) before each read, so a change
made by another console process shows at the next request; rebuilt from the log at start-up.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from union_events.orgs import within
from union_events.store import EventStore

from .codec import STREAM_PREFIX, TYPES, decode
from .state import Account, evolve


@dataclass(frozen=True)
class AccountPage:
    rows: list[Account]
    total: int
    page: int
    size: int


class AccountDirectory:
    def __init__(self, store: EventStore) -> None:
        self.store = store
        self.position = 0
        self._by_id: dict[str, Account] = {}
        self._id_of: dict[str, str] = {}  # stream id -> account id
        self._lock = asyncio.Lock()

    async def catch_up(self) -> None:
        async with self._lock:
            while True:
                batch = await self.store.read_all(self.position, 1000)
                for recorded in batch:
                    self.position = recorded.position
                    if not recorded.stream_id.startswith(STREAM_PREFIX):
                        continue
                    if recorded.type not in TYPES:
                        continue  # a newer console's event: its owner reads it
                    account_id = self._id_of.get(recorded.stream_id, "")
                    state = self._by_id.get(account_id, Account())
                    state = evolve(state, decode(recorded.type, recorded.data))
                    self._id_of[recorded.stream_id] = state.account_id
                    self._by_id[state.account_id] = state
                if len(batch) < 1000:
                    return

    async def get(self, account_id: str) -> Account | None:
        await self.catch_up()
        return self._by_id.get(account_id)

    async def count(self) -> int:
        await self.catch_up()
        return len(self._by_id)

    async def search(
        self,
        *,
        scope: str,
        text: str = "",
        role: str = "",
        active: bool | None = None,
        page: int = 1,
        size: int = 20,
    ) -> AccountPage:
        """The accounts under the org path `scope`, filtered, by org then user name."""
        await self.catch_up()
        needle = text.strip().lower()
        found = [
            a
            for a in self._by_id.values()
            if within(a.org, scope)
            and (not role or a.role == role)
            and (active is None or a.active == active)
            and (not needle or needle in a.username or needle in a.display_name.lower())
        ]
        found.sort(key=lambda a: (a.org, a.username))
        start = (max(page, 1) - 1) * size
        return AccountPage(found[start : start + size], len(found), max(page, 1), size)

    def name_of(self, account_id: str) -> str:
        """The display name behind an id in the log (`unionctl` for the operator)."""
        account = self._by_id.get(account_id)
        return account.display_name if account else account_id
