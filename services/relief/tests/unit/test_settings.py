"""Relief's settings: amounts that go into published events have two places."""

from __future__ import annotations

from decimal import Decimal

from relief.settings import ReliefSettings
from union_events import codec


def test_money_settings_are_kept_to_the_fen_as_the_published_contract_says(monkeypatch):
    monkeypatch.setenv("RELIEF_MAJOR_ILLNESS_THRESHOLD", "50000")
    monkeypatch.setenv("RELIEF_MONTHLY_SUBSIDY", "300.5")
    settings = ReliefSettings()
    assert codec.dumps(settings.major_illness_threshold) == '"50000.00"'
    assert (
        settings.monthly_subsidy == Decimal("300.50") and str(settings.monthly_subsidy) == "300.50"
    )
