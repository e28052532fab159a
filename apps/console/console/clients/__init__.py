"""Typed clients of the four services' public HTTP APIs (never their databases or NATS)."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from .base import ServiceClient, ServiceError, TokenSource
from .claims import ClaimsClient
from .members import MembersClient, Org
from .others import OutreachClient, ReliefClient
from .shared_reads import SharedReads


@dataclass(frozen=True)
class Platform:
    """The four clients, acting with one person's token."""

    members: MembersClient
    claims: ClaimsClient
    relief: ReliefClient
    outreach: OutreachClient

    @classmethod
    def build(
        cls,
        http: httpx.AsyncClient,
        urls: dict[str, str],
        token: TokenSource,
        shared: SharedReads | None = None,
    ) -> Platform:
        return cls(
            MembersClient(http, urls["members"], token),
            ClaimsClient(http, urls["claims"], token, shared),
            ReliefClient(http, urls["relief"], token),
            OutreachClient(http, urls["outreach"], token),
        )


__all__ = [
    "ClaimsClient",
    "MembersClient",
    "Org",
    "OutreachClient",
    "Platform",
    "ReliefClient",
    "ServiceClient",
    "ServiceError",
    "SharedReads",
    "TokenSource",
]
