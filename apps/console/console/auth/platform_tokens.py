"""The platform tokens the console signs for the signed-in person (never sent to the browser).

Short-lived, renewed as needed; the subject is the staff account id, so what the services
append names the person who did it.
"""

from __future__ import annotations

import time

from union_events.tokens import issue_token

from .sessions import Session

RENEW_BEFORE_S = 60.0


class PlatformTokens:
    def __init__(self, private_key_pem: bytes, *, ttl_seconds: int, issuer: str) -> None:
        self._key = private_key_pem
        self.ttl_seconds = ttl_seconds
        self.issuer = issuer

    def for_session(self, session: Session) -> str:
        now = time.time()
        if not session.token or session.token_expires - now < RENEW_BEFORE_S:
            identity = session.identity
            session.token = issue_token(
                self._key,
                subject=identity.account_id,
                role=identity.role,
                org=identity.org,
                ttl_seconds=self.ttl_seconds,
                issuer=self.issuer,
                now=int(now),
            )
            session.token_expires = now + self.ttl_seconds
        return session.token
