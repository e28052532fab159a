"""Deleting a member key so that it cannot be read back from the database files.

Crypto-shredding is only as good as the deletion of the key: the log keeps the sealed text for
ever, so whoever recovers the wrapped key *and* the service secret can still open it.

SQLite (embedded default). The DELETE runs with `PRAGMA secure_delete=ON` on its connection,
so SQLite overwrites the deleted row (and any page it frees) with zeros. In WAL mode that zeroed
page is a new frame in the -wal file, while older frames still hold the key; and the main file
holds the key until a checkpoint copies the zeroed page over it. So after the commit we run
`PRAGMA wal_checkpoint(TRUNCATE)`: the main file gets the zeroed page and the -wal file is cut
to zero bytes. It waits (busy timeout) for readers and writers; if it cannot finish, the clean-up
is logged as incomplete and the next destroy (or any TRUNCATE checkpoint) completes it.
Guaranteed: the key bytes are not in the main file nor the -wal file as the filesystem shows
them. Not guaranteed: copies below the filesystem (freed disk blocks of the truncated WAL,
journaling filesystems, SSD wear levelling, snapshots), backups and copies of the files made
before the destroy.

PostgreSQL. The DELETE commits, then `VACUUM member_keys` runs on an autocommit connection
(VACUUM cannot run in a transaction): it prunes the dead row version so no query, index or
snapshot can reach it again and the space is reused by later inserts. Not guaranteed: PostgreSQL
has no secure delete, so the old tuple bytes may stay in the page's free space until overwritten;
VACUUM leaves a row that an older open transaction (or a replication slot) can still see; the
server's WAL, WAL archives, replicas and backups keep the inserted key. Against those, the wrapped
key is only as safe as the service secret (the KEK): keep the secret out of database backups.
"""

from __future__ import annotations

import logging

from sqlalchemy import Delete
from sqlalchemy.ext.asyncio import AsyncEngine
from union_events.db import write_transaction

log = logging.getLogger(__name__)


async def shred_sqlite(engine: AsyncEngine, statement: Delete) -> int:
    """Delete with secure_delete on, then checkpoint and truncate the WAL. Rows deleted."""
    async with engine.connect() as conn:
        previous = (await conn.exec_driver_sql("PRAGMA secure_delete")).scalar_one()
        await conn.exec_driver_sql("PRAGMA secure_delete=ON")
        try:
            await conn.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                deleted = (await conn.execute(statement)).rowcount
            except BaseException:
                await conn.rollback()
                raise
            await conn.commit()
            checkpoint = await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            busy, wal_frames, copied = tuple(checkpoint.one())
            if busy:
                log.warning(
                    "key shredded but the WAL checkpoint was blocked (%s of %s frames copied); "
                    "the next destroy finishes it",
                    copied,
                    wal_frames,
                )
        finally:
            await conn.exec_driver_sql(f"PRAGMA secure_delete={int(previous)}")
            await conn.commit()
    return int(deleted)


async def shred_postgres(engine: AsyncEngine, statement: Delete, table: str) -> int:
    """Delete and commit, then VACUUM the table outside any transaction. Rows deleted."""
    async with write_transaction(engine) as conn:
        deleted = (await conn.execute(statement)).rowcount
    async with engine.connect() as conn:
        autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.exec_driver_sql(f'VACUUM "{table}"')
    return int(deleted)
