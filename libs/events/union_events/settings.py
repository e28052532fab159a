"""One settings object per service, from the environment."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Every variable a service reads. Names are the environment variables, upper-cased."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    service_name: str = ""  # SERVICE_NAME; the service definition's name when empty
    union_data_dir: Path = Path(".union")  # UNION_DATA_DIR: SQLite files, keys, NATS data
    database_url: str = ""  # DATABASE_URL; default: SQLite file <data dir>/<service>.db
    nats_url: str = "nats://127.0.0.1:4322"  # NATS_URL; `unionctl up` runs NATS on 4322
    nats_user: str = ""  # NATS_USER / NATS_PASSWORD, when the server asks for them
    nats_password: str = ""
    relay_batch_size: int = 2000  # RELAY_BATCH_SIZE
    duplicate_window_s: float = 120.0  # DUPLICATE_WINDOW_S: JetStream de-duplication window
    consumer_max_deliveries: int = 5  # CONSUMER_MAX_DELIVERIES: tries before dead-lettering
    log_level: str = "INFO"  # LOG_LEVEL

    def resolved_database_url(self, service: str) -> str:
        if self.database_url:
            return self.database_url
        path = (self.union_data_dir / f"{service}.db").resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite+aiosqlite:///{path}"
