"""`unionctl backup SERVICE --to FILE`: a consistent copy of a service's SQLite database while
the service runs (SQLite's online backup API). PostgreSQL has its own tools (pg_dump,
pg_basebackup with WAL archiving): see docs/operations.md, "Backups"."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupRefused(ValueError):
    """Not a database this command copies (PostgreSQL), or no such file."""


POSTGRESQL_WAY = (
    "is a PostgreSQL database: back it up with PostgreSQL's own tools, `pg_dump --format=custom` "
    "for a copy of the database, or `pg_basebackup` with WAL archiving for a point-in-time "
    "restore (docs/operations.md, 'Backups')"
)


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int  # bytes
    events: int  # events in the copy's log
    head: int  # its last log position


def sqlite_file(url: str) -> Path | None:
    """The file of a `sqlite:///…` URL; None for another database."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite"):
        return None
    if not parsed.database or parsed.database == ":memory:":
        raise BackupRefused(f"{url} is not a database file")
    return Path(parsed.database)


def backup(service: str, database_url: str, target: Path) -> Backup:
    """Copy the database at `database_url` to `target` in one read transaction (a snapshot:
    under WAL the service keeps writing meanwhile), then check the copy."""
    source_path = sqlite_file(database_url)
    if source_path is None:
        raise BackupRefused(f"{service}'s database {_shown(database_url)} {POSTGRESQL_WAY}")
    if not source_path.exists():
        raise BackupRefused(f"{service} has no database at {source_path}")
    target = target.absolute()
    if target == source_path.absolute():
        raise BackupRefused("the backup would overwrite the database itself")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=30)
    copy = sqlite3.connect(partial)
    try:
        source.execute("PRAGMA busy_timeout=30000")
        # pages=-1: every page in one step, so one read transaction sees one state of the
        # file. Copied in steps, each write of the service would restart the copy.
        source.backup(copy, pages=-1)
        # The copy stands alone: no -wal file beside it to be lost on the way.
        copy.execute("PRAGMA journal_mode=DELETE")
        (verdict,) = copy.execute("PRAGMA quick_check").fetchone()
        if verdict != "ok":
            raise BackupRefused(f"the copy failed its check: {verdict}")
        events, head = copy.execute(
            "SELECT COUNT(*), COALESCE(MAX(position), 0) FROM events"
        ).fetchone()
    finally:
        copy.close()
        source.close()
    os.replace(partial, target)
    return Backup(target, target.stat().st_size, int(events), int(head))


def _shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)
