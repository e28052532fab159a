"""Server-side sessions: the browser holds only a random id in an HttpOnly cookie.

Kept in memory and in the console's database (a table beside the event log), so a restart
keeps people signed in. A session unused for longer than the idle timeout is over.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import Column, DateTime, MetaData, String, Table, Text, delete, select
from sqlalchemy.engine import Connection
from union_events.db import create_tables
from union_events.store import EventStore

from .identity import Identity

metadata = MetaData()
sessions_table = Table(
    "console_sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),  # the cookie's value is never stored
    Column("identity", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
)


@dataclass
class Session:
    id: str
    identity: Identity
    created_at: datetime
    last_seen: datetime
    saved_seen: datetime  # the last_seen the database holds
    token: str = field(default="", repr=False)  # the platform token; never leaves the server
    token_expires: float = 0.0
    # member id -> (lookup key, value): how the desk found a member of another district, to
    # show them again (withheld) on the pay and receipt pages; in memory only
    found_members: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


class SessionStore:
    def __init__(self, store: EventStore, idle: timedelta, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.idle = idle
        self.clock = clock
        self._live: dict[str, Session] = {}

    async def create_schema(self) -> None:
        await create_tables(self.store.engine, metadata)

    async def start(self, identity: Identity) -> Session:
        now = self.clock()
        session = Session(secrets.token_urlsafe(32), identity, now, now, now)
        await self.store.run_write(_save, session)
        self._live[session.id] = session
        return session

    async def find(self, session_id: str) -> tuple[Session | None, bool]:
        """(session, expired): the live session, or None and whether one timed out."""
        if not session_id:
            return None, False
        session = self._live.get(session_id)
        if session is None:
            session = await self.store.run_write(_load, session_id)
            if session is None:
                return None, False
            self._live[session_id] = session
        now = self.clock()
        if now - session.last_seen > self.idle:
            await self.end(session_id)
            return None, True
        session.last_seen = now
        if now - session.saved_seen > min(self.idle / 3, timedelta(minutes=1)):
            session.saved_seen = now
            await self.store.run_write(_save, session)
        return session, False

    async def replace_identity(self, session: Session, identity: Identity) -> None:
        if identity != session.identity:
            session.identity = identity
            session.token, session.token_expires = "", 0.0  # a new role or org: a new token
            await self.store.run_write(_save, session)

    async def end(self, session_id: str) -> None:
        self._live.pop(session_id, None)
        await self.store.run_write(_delete, session_id)


def _save(conn: Connection, session: Session) -> None:
    conn.execute(delete(sessions_table).where(sessions_table.c.id_hash == _hash(session.id)))
    conn.execute(
        sessions_table.insert().values(
            id_hash=_hash(session.id),
            identity=json.dumps(session.identity.as_dict()),
            created_at=session.created_at,
            last_seen=session.last_seen,
        )
    )


def _load(conn: Connection, session_id: str) -> Session | None:
    row = conn.execute(
        select(sessions_table).where(sessions_table.c.id_hash == _hash(session_id))
    ).first()
    if row is None:
        return None
    identity = Identity.from_dict(json.loads(row.identity))
    created, seen = _aware(row.created_at), _aware(row.last_seen)
    return Session(session_id, identity, created, seen, seen)


def _delete(conn: Connection, session_id: str) -> None:
    conn.execute(delete(sessions_table).where(sessions_table.c.id_hash == _hash(session_id)))


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
