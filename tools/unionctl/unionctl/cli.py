"""`unionctl`: run the embedded platform in the foreground; issue local bearer tokens."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from union_events.embedded import NatsServer
from union_events.tokens import (
    DEFAULT_TTL_SECONDS,
    ROLES,
    ensure_keypair,
    issue_token,
    validate_org,
    validate_role,
)

from unionctl.services import DEFAULT_BASE_PORT, DEFAULT_NATS_PORT, service_specs
from unionctl.supervisor import Supervisor

app = typer.Typer(
    help="Run the embedded union platform and issue local tokens.",
    no_args_is_help=True,
    add_completion=False,
)

DataDir = Annotated[
    Path, typer.Option("--data-dir", help="Local state: NATS store, SQLite files, keys, logs.")
]


@app.command()
def up(
    data_dir: DataDir = Path(".union"),
    nats_port: Annotated[
        int, typer.Option(help="Port of the embedded NATS server (ignored if NATS_URL is set).")
    ] = DEFAULT_NATS_PORT,
    base_port: Annotated[
        int, typer.Option(help="members on this port; claims, relief, outreach on the next ones.")
    ] = DEFAULT_BASE_PORT,
    host: Annotated[str, typer.Option(help="Interface the services listen on.")] = "127.0.0.1",
    ready_timeout: Annotated[
        float, typer.Option(help="Seconds to wait for each service's /readyz.")
    ] = 60.0,
) -> None:
    """Start NATS (unless NATS_URL is set) and the four services; stop them on Ctrl-C."""
    data_dir = data_dir.absolute()
    data_dir.mkdir(parents=True, exist_ok=True)
    ensure_keypair(data_dir)
    external = os.environ.get("NATS_URL", "").strip()
    nats = None
    if not external:
        nats = NatsServer(
            store_dir=data_dir / "nats", port=nats_port, new_session=True, die_with_parent=True
        )
    nats_url = external or (nats.url if nats is not None else "")
    specs = service_specs(data_dir=data_dir, nats_url=nats_url, host=host, base_port=base_port)
    supervisor = Supervisor(
        specs,
        nats_url=nats_url,
        nats=nats,
        log_dir=data_dir / "logs",
        ready_timeout=ready_timeout,
    )
    raise typer.Exit(supervisor.run())


@app.command()
def token(
    role: Annotated[str, typer.Option(help=f"One of: {', '.join(ROLES)}.")],
    org: Annotated[str, typer.Option(help="Jurisdiction, a lowercase org path: zhoushan/dinghai")],
    subject: Annotated[str | None, typer.Option(help="Token subject (default: ROLE@ORG).")] = None,
    ttl: Annotated[int, typer.Option(help="Lifetime in seconds.")] = DEFAULT_TTL_SECONDS,
    data_dir: DataDir = Path(".union"),
) -> None:
    """Print a bearer token the local services accept."""
    try:
        validate_role(role)
        validate_org(org)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    if ttl <= 0:
        raise typer.BadParameter("--ttl must be positive")
    private_path, _ = ensure_keypair(data_dir.absolute())
    typer.echo(
        issue_token(
            private_path.read_bytes(),
            subject=subject or f"{role}@{org}",
            role=role,
            org=org,
            ttl_seconds=ttl,
        )
    )


if __name__ == "__main__":
    app()
