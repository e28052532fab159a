"""Embedded infrastructure for local runs and tests: NATS JetStream and PostgreSQL."""

from union_events.embedded._proc import free_port
from union_events.embedded.cluster import NatsCluster
from union_events.embedded.databases import (
    acreate_database,
    adrop_database,
    create_database,
    database_url,
    drop_database,
    unique_database_name,
)
from union_events.embedded.nats import NatsServer, NatsServerError, find_nats_server
from union_events.embedded.nats_auth import credentials
from union_events.embedded.postgres import (
    EmbeddedPostgres,
    PostgresProvider,
    PostgresUnavailable,
    postgres_admin_url,
)

__all__ = [
    "EmbeddedPostgres",
    "NatsCluster",
    "NatsServer",
    "NatsServerError",
    "PostgresProvider",
    "PostgresUnavailable",
    "acreate_database",
    "adrop_database",
    "create_database",
    "credentials",
    "database_url",
    "drop_database",
    "find_nats_server",
    "free_port",
    "postgres_admin_url",
    "unique_database_name",
]
