"""`unionctl status` rendering: what an operator reads in the table."""

from __future__ import annotations

from rich.console import Console
from unionctl.status import ServiceStatus, status_table


def rendered(*statuses: ServiceStatus) -> str:
    console = Console(width=200, record=True, color_system="truecolor")
    console.print(status_table(list(statuses)))
    return console.export_text(styles=True)


def test_a_stream_with_a_replica_not_current_stands_out_and_a_whole_one_does_not() -> None:
    checks = {"database": "ok", "nats": "ok", "relay_lag": "0"}
    degraded = ServiceStatus(
        "claims", "http://c", True, True, checks | {"stream": "CLAIMS R3, 2/3 current"}
    )
    whole = ServiceStatus(
        "members", "http://m", True, True, checks | {"stream": "MEMBERS R3, 3/3 current"}
    )
    text = rendered(degraded, whole)
    assert "CLAIMS R3, 2/3 current" in text and "MEMBERS R3, 3/3 current" in text
    yellow = [line for line in text.splitlines() if "\x1b[33m" in line]
    assert len(yellow) == 1 and "CLAIMS" in yellow[0]
