"""The console's one settings object, from the environment (prefix CONSOLE_)."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ConsoleSettings(BaseSettings):
    """Every variable the console reads. Names are the environment variables, upper-cased."""

    model_config = SettingsConfigDict(env_prefix="CONSOLE_", extra="ignore", populate_by_name=True)

    members_url: str = "http://127.0.0.1:8101"  # CONSOLE_MEMBERS_URL: the members service
    claims_url: str = "http://127.0.0.1:8102"  # CONSOLE_CLAIMS_URL: the claims service
    relief_url: str = "http://127.0.0.1:8103"  # CONSOLE_RELIEF_URL: the relief service
    outreach_url: str = "http://127.0.0.1:8104"  # CONSOLE_OUTREACH_URL: the outreach service
    data_dir: Path = Field(  # CONSOLE_DATA_DIR (else UNION_DATA_DIR): console.db, keys/
        default=Path(".union"), validation_alias=AliasChoices("CONSOLE_DATA_DIR", "UNION_DATA_DIR")
    )
    database_url: str = ""  # CONSOLE_DATABASE_URL; default: SQLite file <data dir>/console.db
    signing_key_file: Path | None = None  # CONSOLE_SIGNING_KEY_FILE; default <data dir>/keys
    secret: str = ""  # CONSOLE_SECRET: CSRF key; default: file <data dir>/keys/console.secret
    session_idle_minutes: float = 30.0  # CONSOLE_SESSION_IDLE_MINUTES: idle time before sign-in
    cookie_secure: bool | None = None  # CONSOLE_COOKIE_SECURE; empty: Secure when HTTPS
    token_ttl_seconds: int = 900  # CONSOLE_TOKEN_TTL_SECONDS: life of a platform token
    token_issuer: str = "unionctl"  # CONSOLE_TOKEN_ISSUER: `iss` of the tokens it signs
    lockout_failures: int = 5  # CONSOLE_LOCKOUT_FAILURES: wrong passwords in a row that lock
    lockout_minutes: int = 15  # CONSOLE_LOCKOUT_MINUTES: how long a locked account waits
    service_timeout_s: float = 10.0  # CONSOLE_SERVICE_TIMEOUT_S: per call to a service
    max_body_bytes: int = 1_048_576  # CONSOLE_MAX_BODY_BYTES: larger bodies get 413 (1 MiB)
    oidc_issuer: str = ""  # CONSOLE_OIDC_ISSUER: OpenID provider (discovery); empty: local only
    oidc_client_id: str = ""  # CONSOLE_OIDC_CLIENT_ID: the console's client id at the provider
    oidc_client_secret: str = ""  # CONSOLE_OIDC_CLIENT_SECRET: its client secret
    oidc_scopes: str = "openid profile"  # CONSOLE_OIDC_SCOPES: scopes asked (openid first)
    oidc_role_claim: str = "role"  # CONSOLE_OIDC_ROLE_CLAIM: claim (a.b for nested) of the role
    oidc_org_claim: str = "org"  # CONSOLE_OIDC_ORG_CLAIM: claim (a.b for nested) of the org path
    oidc_name_claim: str = "name"  # CONSOLE_OIDC_NAME_CLAIM: claim of the display name
    oidc_redirect_url: str = ""  # CONSOLE_OIDC_REDIRECT_URL; empty: <console>/login/oidc/callback
    oidc_subject_prefix: str = "oidc:"  # CONSOLE_OIDC_SUBJECT_PREFIX: before `sub` as the actor
    oidc_session_hours: float = 12.0  # CONSOLE_OIDC_SESSION_HOURS: then sign in at the provider
    signup_base_url: str = ""  # CONSOLE_SIGNUP_BASE_URL: public QR sign-up page; <url>/<drive>
    timezone: str = Field(  # CONSOLE_TIMEZONE (else UNION_TIMEZONE): dates as staff read them
        default="Asia/Shanghai",
        validation_alias=AliasChoices("CONSOLE_TIMEZONE", "UNION_TIMEZONE"),
    )

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        path = (self.data_dir / "console.db").absolute()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite+aiosqlite:///{path}"
