"""Server-side sessions: the browser holds only a random id in an HttpOnly cookie.

Kept in the console's database (a table beside the event log), so a restart keeps people
signed in and every replica sees the same sessions: each request reads its session's row (a
sign-out on one replica ends it on all; use on one keeps it alive on all), the memory copy
only keeps the platform token. A session unused for longer than the idle timeout is over.

How the desk found a member of another district (their card number) is kept in the database
only (`console_found_members`), never in one process's memory: with several console replicas
behind a Service without affinity, the pay-confirm or receipt page may be served by another
replica than the look-up, and it must still show the member (withheld).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Column, DateTime, MetaData, String, Table, Text, and_, delete, select
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
# member id -> how the session's desk found a member of another district (a lookup key and
# value: the card number where members showed one), to show them again withheld on the next
# pages; a table of its own (existing databases get it), its rows gone with the session.
found_members_table = Table(
    "console_found_members",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("member_id", String(36), primary_key=True),
    Column("lookup_key", String(16), nullable=False),
    Column("lookup_value", String(32), nullable=False),
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
        # The database says whether the session lives and when it was last used: another
        # replica may have ended it (sign-out) or seen it used since (no false idle time-out).
        stored = await self.store.run_write(_load, session_id)
        if stored is None:
            self._live.pop(session_id, None)
            return None, False
        session = self._live.get(session_id)
        if session is None:
            session = self._live[session_id] = stored
        else:  # the platform token stays with this replica's copy
            if stored.last_seen > session.last_seen:
                session.last_seen = session.saved_seen = stored.last_seen
            if stored.identity != session.identity:
                session.identity = stored.identity
                session.token, session.token_expires = "", 0.0
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

    async def remember_found(self, session: Session, member_id: str, key: tuple[str, str]) -> None:
        """How this session's desk found a member of another district (any replica reads it)."""
        await self.store.run_write(_save_found, session.id, member_id, key)

    async def found(self, session: Session, member_id: str) -> tuple[str, str] | None:
        """How this session's desk found the member, if it did (from the database)."""
        return await self.store.run_write(_load_found, session.id, member_id)

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
    conn.execute(
        delete(found_members_table).where(found_members_table.c.id_hash == _hash(session_id))
    )


def _found_row(session_id: str, member_id: str) -> Any:
    t = found_members_table
    return and_(t.c.id_hash == _hash(session_id), t.c.member_id == member_id)


def _save_found(conn: Connection, session_id: str, member_id: str, key: tuple[str, str]) -> None:
    conn.execute(delete(found_members_table).where(_found_row(session_id, member_id)))
    conn.execute(
        found_members_table.insert().values(
            id_hash=_hash(session_id), member_id=member_id, lookup_key=key[0], lookup_value=key[1]
        )
    )


def _load_found(conn: Connection, session_id: str, member_id: str) -> tuple[str, str] | None:
    t = found_members_table
    row = conn.execute(
        select(t.c.lookup_key, t.c.lookup_value).where(_found_row(session_id, member_id))
    ).first()
    return None if row is None else (str(row.lookup_key), str(row.lookup_value))


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
