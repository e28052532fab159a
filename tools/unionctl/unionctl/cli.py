"""`unionctl`: run the embedded platform, seed a demo, check status, replay projections,
issue local bearer tokens."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from union_events.embedded import NatsServer, credentials
from union_events.tokens import (
    DEFAULT_TTL_SECONDS,
    ROLES,
    ensure_keypair,
    issue_token,
    validate_org,
    validate_role,
)

from unionctl.services import (
    DEFAULT_BASE_PORT,
    DEFAULT_NATS_PORT,
    SERVICES,
    database_url,
    service_specs,
)
from unionctl.supervisor import Supervisor

app = typer.Typer(
    help="Operate the union platform: run it, seed a demo, check status, replay projections.",
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
    users = None
    if not external:  # each service gets its own NATS user: it publishes only its own subjects
        users = credentials(data_dir)
        nats = NatsServer(
            store_dir=data_dir / "nats",
            port=nats_port,
            users=users,
            new_session=True,
            die_with_parent=True,
        )
    nats_url = external or (nats.url if nats is not None else "")
    specs = service_specs(
        data_dir=data_dir, nats_url=nats_url, host=host, base_port=base_port, nats_users=users
    )
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


Host = Annotated[str, typer.Option(help="Host the services answer on.")]
BasePort = Annotated[
    int, typer.Option(help="members on this port; claims, relief, outreach on the next ones.")
]


def _urls(host: str, base_port: int) -> dict[str, str]:
    return {name: f"http://{host}:{base_port + i}" for i, name in enumerate(SERVICES)}


@app.command()
def status(
    host: Host = "127.0.0.1",
    base_port: BasePort = DEFAULT_BASE_PORT,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for each answer.")] = 3.0,
) -> None:
    """Each service's health, readiness, relay lag and consumer lag; exit 1 unless all ready."""
    from unionctl.status import probe_all, status_table

    statuses = probe_all(_urls(host, base_port), timeout)
    Console().print(status_table(statuses))
    if not all(s.ready for s in statuses):
        raise typer.Exit(1)


@app.command()
def replay(
    service: Annotated[str, typer.Argument(help=f"One of: {', '.join(SERVICES)}.")],
    projection: Annotated[str, typer.Argument(help="A projection of that service.")],
    data_dir: DataDir = Path(".union"),
    database: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="The service's database (default: <SERVICE>_DATABASE_URL, else the SQLite "
            "file in the data dir, as `unionctl up` uses).",
        ),
    ] = None,
    batch_size: Annotated[int, typer.Option(help="Events per transaction.")] = 500,
) -> None:
    """Empty one projection (read model) of a service and rebuild it from the service's log."""
    from unionctl.replay import UnknownName, definition_of, projection_of
    from unionctl.replay import replay as run_replay

    try:
        definition = definition_of(service)
        read_model = projection_of(definition, projection)
    except UnknownName as exc:
        raise typer.BadParameter(str(exc)) from exc
    url = database or database_url(service, data_dir, os.environ)
    console = Console()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), console=console) as progress:
        task = progress.add_task(f"rebuilding {service}/{projection}", total=None)

        def report(position: int, head: int) -> None:
            progress.update(task, completed=position, total=head)

        applied, head = asyncio.run(run_replay(definition, read_model, url, report, batch_size))
        progress.update(task, completed=head, total=head)
    console.print(f"rebuilt {service}/{projection}: {applied} events replayed (log head {head})")


@app.command()
def demo(
    host: Host = "127.0.0.1",
    base_port: BasePort = DEFAULT_BASE_PORT,
    data_dir: DataDir = Path(".union"),
    members_per_district: Annotated[int, typer.Option(help="Demo members per district.")] = 2,
    timeout: Annotated[
        float, typer.Option(help="Seconds to wait for each event to arrive.")
    ] = 30.0,
) -> None:
    """Seed a city on running services; file claims in one district, pay them in another.

    Districts, units, service points, a plan pooled at city level from 1 May, members and
    enrolments; then claims filed at another district's service point, paid at a third
    district's, and the settlement between the districts.
    """
    import httpx

    from unionctl.demo import Demo, DemoError, summary_tables

    urls = _urls(host, base_port)
    private_path, _ = ensure_keypair(data_dir.absolute())
    bearer = issue_token(
        private_path.read_bytes(), subject="unionctl-demo", role="city_admin", org="zhoushan"
    )
    console = Console()
    runner = Demo(
        urls["members"],
        urls["claims"],
        token=bearer,
        members_per_district=members_per_district,
        timeout=timeout,
        console=console,
    )
    try:
        outcome = runner.run()
    except (DemoError, httpx.HTTPError) as exc:
        console.print(f"[red]demo failed:[/red] {exc}")
        console.print("Are the services running? Start them with `unionctl up`.")
        raise typer.Exit(1) from exc
    for table in summary_tables(outcome):
        console.print(table)


@app.command()
def config() -> None:
    """Every environment variable the services read, with its default."""
    from unionctl.environment import all_variables

    table = Table(title="environment variables")
    for column in ("variable", "services", "default", "meaning"):
        table.add_column(column)
    for v in all_variables():
        if v.name.startswith("OTEL_EXPORTER_OTLP_") and v.name != "OTEL_EXPORTER_OTLP_ENDPOINT":
            continue
        table.add_row(v.name, v.scope, v.default, v.meaning)
    Console().print(table)


if __name__ == "__main__":
    app()
