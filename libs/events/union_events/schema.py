"""Tables every service's database holds: the log, snapshots, checkpoints, the consumer inbox."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

# BIGINT on PostgreSQL, INTEGER (rowid alias) on SQLite.
Position = BigInteger().with_variant(Integer(), "sqlite")

events = Table(
    "events",
    metadata,
    Column("position", Position, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("stream_id", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    Column("type", String(200), nullable=False),
    Column("data", Text, nullable=False),
    Column("context", Text, nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("stream_id", "version", name="uq_events_stream_version"),
    sqlite_autoincrement=True,
)

snapshots = Table(
    "snapshots",
    metadata,
    Column("stream_id", String(200), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("state", Text, nullable=False),
)

# Relay and projection positions in the log.
checkpoints = Table(
    "checkpoints",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("position", BigInteger, nullable=False),
)

# Events a consumer has handled, written in the same transaction as the handler's effects.
inbox = Table(
    "inbox",
    metadata,
    Column("consumer", String(200), primary_key=True),
    Column("event_id", String(36), primary_key=True),
    Column("type", String(200), nullable=False),
    Column("stream_seq", BigInteger, nullable=True),
    Column("handled_at", DateTime(timezone=True), nullable=False),
)

# The log's identity, made once with the database (a backup and its restore keep it): the relay
# stamps it on every message next to the event's position, which means something in this log
# only. `log_guard` compares positions with a stream's last message of the same log.
log_identity = Table(
    "log_identity",
    metadata,
    Column("name", String(20), primary_key=True),  # "log": one row
    Column("log_id", String(36), nullable=False),
)

# What the log lacks of its own stream (a database restored from an old backup): a row per
# stream tail noticed at start-up, accepted by an operator with `unionctl accept-loss`. New
# events are numbered above the highest accepted stream position (see `writing.py`), so a
# log position on the stream never names two events. See `log_guard.py`.
log_losses = Table(
    "log_losses",
    metadata,
    Column("stream_event_id", String(36), primary_key=True),  # the stream's last event then
    Column("stream_position", BigInteger, nullable=True),  # its log position, from its header
    Column("stream", String(200), nullable=False),
    Column("log_head", BigInteger, nullable=False),  # the log's head position then
    Column("noticed_at", DateTime(timezone=True), nullable=False),
    Column("accepted_at", DateTime(timezone=True), nullable=True),
    Column("accepted_by", String(200), nullable=True),
    Column("note", Text, nullable=True),
)
