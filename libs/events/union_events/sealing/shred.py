"""Writing and deleting data keys so that a deleted key cannot be read back from the files.

Crypto-shredding is only as good as the deletion of the key: the log keeps the sealed text for
ever, so whoever recovers the wrapped key *and* the service secret can still open it.

SQLite (embedded default). Every write of a key table runs with `PRAGMA secure_delete=ON` on
its connection (restored afterwards): SQLite then zeroes deleted rows, freed pages and the space
B-tree balancing leaves behind. Inserts need it too: when a page splits, the old copy of its rows
would otherwise stay in unused space, out of reach of a later secure DELETE. In WAL mode the
zeroed page is a new frame in the -wal file while older frames still hold the key, and the main
file holds it until a checkpoint copies the zeroed page over it; so after the DELETE commits,
`PRAGMA wal_checkpoint(TRUNCATE)` writes the pages back and cuts the -wal file to zero bytes. It
waits (busy timeout) for readers and writers; if it cannot finish, that is logged, and the next
destroy (even of a key already gone) or any TRUNCATE checkpoint completes it.
Guaranteed: the key bytes are in neither the main file nor the -wal file as the filesystem shows
them. Not guaranteed: copies below the filesystem (freed blocks of the truncated WAL, journaling
filesystems, SSD wear levelling, snapshots), and backups or copies made before the destroy.

PostgreSQL. The DELETE commits, then `VACUUM <key table>` runs on an autocommit connection
(VACUUM cannot run in a transaction): it prunes the dead row version so that no query, index or
snapshot can reach it and its space is reused. Not guaranteed: PostgreSQL has no secure delete;
the tuple bytes can stay in the page's free space until later rows overwrite them (seen on
PostgreSQL 18 when the erased row was the last written on its page); VACUUM keeps a row that an
older open transaction or a replication slot can still see; the server's WAL, WAL archives,
replicas and backups keep the inserted key. Against those the wrapped key is only as safe as the
service secret (the KEK): keep the secret away from database backups.
"""

from __future__ import annotations

import logging
from contextlib import AbstractAsyncContextManager

from sqlalchemy import Delete
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ..db import is_sqlite, write_transaction

log = logging.getLogger(__name__)


def secure_write(engine: AsyncEngine) -> AbstractAsyncContextManager[AsyncConnection]:
    """A write transaction; on SQLite with secure_delete on for its connection, then restored."""
    return write_transaction(engine, sqlite_pragmas=("secure_delete=ON",))


async def shred(engine: AsyncEngine, statement: Delete, table: str) -> int:
    """Delete the rows, then clean the files: checkpoint (SQLite) or VACUUM (PostgreSQL)."""
    async with secure_write(engine) as conn:
        deleted = int((await conn.execute(statement)).rowcount)
    await clean_files(engine, table)
    return deleted


async def clean_files(engine: AsyncEngine, table: str) -> None:
    """After a delete commits: push the zeroed pages out of the WAL (SQLite), or VACUUM."""
    async with engine.connect() as conn:
        if is_sqlite(engine):
            result = await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            busy, wal_frames, copied = tuple(result.one())
            if busy:
                log.warning(
                    "key shredded but the WAL checkpoint was blocked (%s of %s frames copied); "
                    "the next destroy finishes it", copied, wal_frames,
                )  # fmt: skip
        else:
            autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.exec_driver_sql(f'VACUUM "{table}"')
