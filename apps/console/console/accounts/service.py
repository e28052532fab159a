"""The account commands: load the account's stream, decide, append (who did it, and when)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from union_events.commands import execute, load
from union_events.errors import ConcurrencyError, Conflict, NotFound
from union_events.events import EventContext
from union_events.store import EventStore

from . import domain
from .codec import ACCOUNT, decode, stream_id
from .directory import AccountDirectory
from .events import AccountEvent, AccountLocked, SignInFailed
from .passwords import hash_password, one_time_password, verify_password
from .state import Account

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Issued:
    """An account with its one-time password: shown once, never stored in clear."""

    account: Account
    one_time_password: str


@dataclass(frozen=True)
class HistoryEntry:
    event: AccountEvent
    type: str


class Accounts:
    def __init__(
        self,
        store: EventStore,
        *,
        lockout: domain.Lockout | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self.store = store
        self.directory = AccountDirectory(store)
        self.lockout = lockout or domain.Lockout()
        self.clock = clock

    async def _run(
        self, account: Account | str, decide: Callable[[Account], Sequence[AccountEvent]]
    ) -> Account:
        username = account.username if isinstance(account, Account) else account
        org = account.org if isinstance(account, Account) else None
        outcome = await execute(
            self.store, ACCOUNT, stream_id(username), decide, context=EventContext(org_path=org)
        )
        return outcome.state

    async def _by_id(self, account_id: str) -> Account:
        account = await self.directory.get(account_id)
        if account is None:
            raise NotFound("no such account", code="account_not_found")
        return account

    async def create(
        self,
        manager: domain.Manager | None,
        *,
        username: str,
        display_name: str,
        role: str,
        org: str,
        password: str | None = None,
    ) -> Issued:
        """A new account with a one-time password (to be changed at the first sign-in)."""
        username = domain.check_username(username)
        password = password or one_time_password()
        hashed = await asyncio.to_thread(hash_password, password)
        account_id = str(uuid.uuid4())
        now = self.clock()

        def decide(state: Account) -> list[AccountEvent]:
            return domain.decide_create(
                state,
                account_id=account_id,
                username=username,
                display_name=display_name,
                role=role,
                org=org,
                password_hash=hashed,
                manager=manager,
                now=now,
            )

        try:
            account = await self._run(username, decide)
        except ConcurrencyError as exc:  # created at the same moment by someone else
            raise Conflict(f"user name {username!r} is taken", code="username_taken") from exc
        return Issued(account, password)

    async def sign_in(self, username: str, password: str) -> Account:
        """The account when the password is right; else `DomainError` (wrong credentials,
        locked, disabled), the failure recorded."""
        cleaned = username.strip().lower()
        state, _ = (
            await load(self.store, ACCOUNT, stream_id(cleaned))
            if cleaned
            else (
                Account(),
                0,
            )
        )
        ok = await asyncio.to_thread(verify_password, state.password_hash, password)
        now = self.clock()
        decided: list[AccountEvent] = []

        def decide(current: Account) -> list[AccountEvent]:
            decided[:] = domain.decide_sign_in(
                current, password_ok=ok, now=now, lockout=self.lockout
            )
            return decided

        account = await self._run(state, decide)
        locked = next((e for e in decided if isinstance(e, AccountLocked)), None)
        if locked is not None:
            raise domain.Forbidden(
                "the account is locked", code="account_locked", until=locked.until
            )
        if any(isinstance(e, SignInFailed) for e in decided):
            left = self.lockout.failures - account.failures
            raise domain.DomainError(
                "wrong user name or password", code="wrong_credentials", left=left
            )
        return account

    async def change_password(self, account_id: str, current: str, new: str) -> Account:
        account = await self._by_id(account_id)
        current_ok = await asyncio.to_thread(verify_password, account.password_hash, current)
        reuses = current == new
        new_hash = await asyncio.to_thread(hash_password, new)
        now = self.clock()
        return await self._run(
            account,
            lambda s: domain.decide_change_password(
                s,
                current_ok=current_ok,
                new_password=new,
                new_hash=new_hash,
                reuses_current=reuses,
                now=now,
            ),
        )

    async def reset_password(self, manager: domain.Manager, account_id: str) -> Issued:
        account = await self._by_id(account_id)
        password = one_time_password()
        hashed = await asyncio.to_thread(hash_password, password)
        now = self.clock()
        updated = await self._run(
            account,
            lambda s: domain.decide_reset(s, manager=manager, password_hash=hashed, now=now),
        )
        return Issued(updated, password)

    async def disable(self, manager: domain.Manager, account_id: str) -> Account:
        account = await self._by_id(account_id)
        now = self.clock()
        return await self._run(
            account, lambda s: domain.decide_disable(s, manager=manager, now=now)
        )

    async def enable(self, manager: domain.Manager, account_id: str) -> Account:
        account = await self._by_id(account_id)
        now = self.clock()
        return await self._run(account, lambda s: domain.decide_enable(s, manager=manager, now=now))

    async def get(self, account_id: str) -> Account | None:
        return await self.directory.get(account_id)

    async def history(self, account: Account) -> list[HistoryEntry]:
        """The account's events, oldest first: who changed what, and when."""
        recorded = await self.store.read_stream(stream_id(account.username))
        return [HistoryEntry(decode(r.type, r.data), r.type) for r in recorded]
