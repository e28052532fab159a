"""Settings of the relief service beyond the common ones (`union_events.settings`)."""

from __future__ import annotations

from decimal import Decimal

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from union_events.money import yuan


class ReliefSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RELIEF_", extra="ignore")

    secret: str = ""  # RELIEF_SECRET: base64 of 32 bytes; else <data dir>/keys/relief.secret
    card_factor: Decimal = Decimal("1.3")  # RELIEF_CARD_FACTOR: card when per head < f × 低保
    monthly_subsidy: Decimal = Decimal("300.00")  # RELIEF_MONTHLY_SUBSIDY per active card
    major_illness_threshold: Decimal = Decimal("50000.00")  # RELIEF_MAJOR_ILLNESS_THRESHOLD
    webhook_url: str = ""  # RELIEF_WEBHOOK_URL: notify by webhook; else notifications are logged
    webhook_retries: int = 3  # RELIEF_WEBHOOK_RETRIES: retries after the first try
    webhook_backoff_s: float = 0.2  # RELIEF_WEBHOOK_BACKOFF_S: first delay, doubled per retry
    run_delay_s: float = 0.0  # RELIEF_RUN_DELAY_S: pause per card in the monthly run (demos)

    @field_validator("monthly_subsidy", "major_illness_threshold")
    @classmethod
    def _to_the_fen(cls, value: Decimal) -> Decimal:
        """Amounts that go into published events: with two places, as the contract says
        (RELIEF_MAJOR_ILLNESS_THRESHOLD=50000 is published as "50000.00")."""
        return yuan(value)
