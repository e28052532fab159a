"""The README's configuration reference lists every variable the code reads."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner
from unionctl.cli import app
from unionctl.environment import all_variables

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_the_configuration_reference_names_every_variable_the_services_read() -> None:
    reference = README.split("## Configuration reference", 1)[1].split("\n## ", 1)[0]
    assert "standard `OTEL_EXPORTER_OTLP_*` variables" in reference  # the SDK's, not listed
    own = [
        v.name
        for v in all_variables()
        if not v.name.startswith("OTEL_EXPORTER_OTLP_") or v.name.endswith("_OTLP_ENDPOINT")
    ]
    assert [name for name in own if f"`{name}`" not in reference] == []


def test_unionctl_config_prints_them_with_their_defaults() -> None:
    result = CliRunner().invoke(app, ["config"], env={"COLUMNS": "250"})
    assert result.exit_code == 0
    for name in ("DATABASE_URL", "NATS_URL", "MEMBERS_SECRET", "RELIEF_WEBHOOK_URL"):
        assert name in result.output
    assert "nats://127.0.0.1:4322" in result.output
