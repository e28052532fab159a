"""Who signs in: the `IdentityProvider` port and the local accounts behind it.

A provider turns credentials into an `Identity` and, on every later request, says whether
that identity still stands (an account disabled or reset since ends its sessions). The local
provider checks the console's own accounts; an OpenID Connect provider (the production
alternative) would build the identity from the ID token's claims after its redirect.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Protocol

from ..accounts.service import Accounts
from ..accounts.state import Account


@dataclass(frozen=True)
class Identity:
    """The signed-in person, as the console and the platform tokens name them."""

    account_id: str  # the platform tokens' subject: the services' events name it as the actor
    username: str
    display_name: str
    role: str
    org: str
    must_change_password: bool = False
    provider: str = "local"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Identity:
        return cls(**data)


class IdentityProvider(Protocol):
    name: str

    async def still_valid(self, identity: Identity, since: datetime) -> Identity | None:
        """The identity as it stands now, or None when a session begun at `since` is over."""
        ...


class LocalAccounts:
    """Sign-in with the console's own accounts (the embedded default)."""

    name = "local"

    def __init__(self, accounts: Accounts) -> None:
        self.accounts = accounts

    async def sign_in(self, username: str, password: str) -> Identity:
        """The identity when the password is right; `DomainError` otherwise (recorded)."""
        return identity_of(await self.accounts.sign_in(username, password))

    async def still_valid(self, identity: Identity, since: datetime) -> Identity | None:
        account = await self.accounts.get(identity.account_id)
        if account is None or not account.active:
            return None
        if account.sessions_valid_after is not None and account.sessions_valid_after > since:
            return None
        return identity_of(account)


def identity_of(account: Account) -> Identity:
    return Identity(
        account_id=account.account_id,
        username=account.username,
        display_name=account.display_name,
        role=account.role,
        org=account.org,
        must_change_password=account.must_change_password,
    )
