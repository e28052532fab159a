"""Settings of the members service beyond the common ones (`union_events.settings`)."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class MembersSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MEMBERS_", extra="ignore")

    secret: str = ""  # MEMBERS_SECRET: base64 of 32 bytes; else <data dir>/keys/members.secret
    signup_batch_limit: int = 10_000  # MEMBERS_SIGNUP_BATCH_LIMIT: sign-ups per bulk request
    signup_max_body_bytes: int = 8_388_608  # MEMBERS_SIGNUP_MAX_BODY_BYTES: bulk body limit
