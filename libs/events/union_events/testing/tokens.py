"""Bearer tokens for tests, benchmarks and tools that talk to services over HTTP.

Signed with the embedded default's key pair in the data dir the services were given
(`<data dir>/keys`, created if missing), so the services accept them."""

from __future__ import annotations

from pathlib import Path

from union_events.auth import Principal
from union_events.tokens import ensure_keypair, issue_token

CITY_ADMIN = Principal("test-city-admin", "city_admin", "zhoushan")


def token(
    data_dir: Path | str,
    role: str = "city_admin",
    org: str = "zhoushan",
    *,
    subject: str | None = None,
    ttl_seconds: int = 3600,
    now: int | None = None,
) -> str:
    """A token for `role` within `org`, signed with the data dir's private key."""
    private, _ = ensure_keypair(Path(data_dir).absolute())
    return issue_token(
        private.read_bytes(),
        subject=subject or f"test-{role}",
        role=role,
        org=org,
        ttl_seconds=ttl_seconds,
        now=now,
    )


def token_for(data_dir: Path | str, principal: Principal, ttl_seconds: int = 3600) -> str:
    """A token naming `principal`."""
    return token(
        data_dir, principal.role, principal.org, subject=principal.subject, ttl_seconds=ttl_seconds
    )


def bearer(
    data_dir: Path | str,
    role: str = "city_admin",
    org: str = "zhoushan",
    *,
    subject: str | None = None,
    ttl_seconds: int = 3600,
) -> dict[str, str]:
    """The `Authorization` header carrying `token(...)`."""
    signed = token(data_dir, role, org, subject=subject, ttl_seconds=ttl_seconds)
    return {"Authorization": f"Bearer {signed}"}
