"""One settings object per service, from the environment."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Every variable a service reads. Names are the environment variables, upper-cased."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    service_name: str = ""  # SERVICE_NAME; the service definition's name when empty
    union_data_dir: Path = Path(".union")  # UNION_DATA_DIR: SQLite files, keys, NATS data
    database_url: str = ""  # DATABASE_URL; default: SQLite file <data dir>/<service>.db
    # DATABASE_POOL_SIZE: PostgreSQL connections a process keeps open at most (requests beyond
    # wait for one). No overflow: connections opened and closed per request under load cost
    # PostgreSQL a backend each and made claims 3 times slower (docs/claims.md).
    database_pool_size: int = Field(default=20, ge=2, le=500)
    # NATS_URL: one server, or a cluster's servers comma-separated (`unionctl up`: port 4322)
    nats_url: str = "nats://127.0.0.1:4322"  # NATS_URL: a URL, or several comma-separated
    nats_user: str = ""  # NATS_USER / NATS_PASSWORD, when the server asks for them
    nats_password: str = ""
    relay_batch_size: int = 2000  # RELAY_BATCH_SIZE
    duplicate_window_s: float = 120.0  # DUPLICATE_WINDOW_S: JetStream de-duplication window
    # STREAM_REPLICAS: replicas of each stream a service creates (its own, its dead letters,
    # a source stream it creates first) and of its durable consumers; 3 on a 3-node cluster.
    # Only at creation: an existing stream's replicas, limits and placement are the operator's.
    stream_replicas: int = Field(default=1, ge=1, le=5)  # STREAM_REPLICAS: JetStream replicas (1-5)
    # JETSTREAM_WAIT_S: at start-up, how long a service waits for a JetStream cluster that
    # cannot answer yet (electing a leader, a majority of its nodes down) before failing
    jetstream_wait_s: float = Field(default=30.0, ge=0)
    # RELAY_LEASE_POLL_S: how often a standby relay tries to take the lease (PostgreSQL)
    relay_lease_poll_s: float = 1.0
    # SERVICE_ROLE: what this process of the service runs. `all` (the embedded default): the
    # HTTP API and the relay, consumers and projections in one process. `api`: the HTTP API
    # only; `worker`: the relay, consumers and projections (and the probes' /healthz, /readyz,
    # /metrics). Production runs an `api` and a `worker` Deployment of each service, both from
    # the same image, on one database.
    service_role: Literal["all", "api", "worker"] = "all"
    # WORKER_POLL_S: how often a worker looks for what another process appended besides the
    # word its API process sends after each commit (service.py), in case a word was lost. At
    # 0.05 s, before that word, an idle worker's polling cost members 1.4 ms of CPU per claim
    # in bench/claims_flow.py --split; 0.5 s is what one process (SERVICE_ROLE=all) polls at.
    worker_poll_s: float = Field(default=0.5, gt=0, le=5)
    consumer_max_deliveries: int = 5  # CONSUMER_MAX_DELIVERIES: tries before dead-lettering
    max_body_bytes: int = 1_048_576  # MAX_BODY_BYTES: larger request bodies get 413 (1 MiB)
    # UNION_TIMEZONE: the federation's time zone; it decides "today" (deadlines, months, dates
    # in the future) in every service, whatever the server's clock zone.
    union_timezone: str = "Asia/Shanghai"
    log_level: str = "INFO"  # LOG_LEVEL
    log_format: str = "text"  # LOG_FORMAT: `text` for people, `json` (one object a line)
    # Bearer tokens (Ed25519 JWTs). Production names the public key: a JWKS URL (fetched at
    # start and again on an unknown key id) or a PEM file. With neither, the embedded default
    # uses <data dir>/keys/jwt_ed25519.pub.pem (created if missing; `unionctl token` signs
    # with its private half).
    jwt_jwks_url: str = ""  # JWT_JWKS_URL
    jwt_public_key_file: Path | None = None  # JWT_PUBLIC_KEY_FILE
    jwt_issuer: str = ""  # JWT_ISSUER: when set, tokens must name this issuer (`iss`)

    def nats_servers(self) -> list[str]:
        """NATS_URL as the list nats-py takes (it refuses a comma-joined string)."""
        return [url.strip() for url in self.nats_url.split(",") if url.strip()]

    def resolved_database_url(self, service: str) -> str:
        if self.database_url:
            return self.database_url
        path = (self.union_data_dir / f"{service}.db").resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite+aiosqlite:///{path}"
