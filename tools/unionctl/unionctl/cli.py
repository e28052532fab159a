"""`unionctl`: run the embedded platform (the services and the staff console), seed a demo,
check status, replay projections, re-publish a log, back up a database, issue local bearer
tokens, make the console's first admin."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Annotated

import nats.errors
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
    CONSOLE,
    DEFAULT_BASE_PORT,
    DEFAULT_NATS_PORT,
    SERVICES,
    console_spec,
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
    console_port: Annotated[
        int | None, typer.Option(help="Port of the staff console (default: base port - 1).")
    ] = None,
    split: Annotated[
        bool,
        typer.Option(
            help="Run each service as production does: an API process and a worker process "
            "(relay, consumers, projections) on 50 ports above it."
        ),
    ] = False,
) -> None:
    """Start NATS (unless NATS_URL is set), the four services and the staff console; stop them
    on Ctrl-C."""
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
        data_dir=data_dir,
        nats_url=nats_url,
        host=host,
        base_port=base_port,
        nats_users=users,
        split=split,
    )
    console = console_spec(data_dir=data_dir, services=specs, host=host, port=console_port)
    supervisor = Supervisor(
        specs,
        nats_url=nats_url,
        nats=nats,
        log_dir=data_dir / "logs",
        ready_timeout=ready_timeout,
        ready_message=_sign_in_hint(console.url, data_dir),
        then=[console],
    )
    raise typer.Exit(supervisor.run())


def _sign_in_hint(url: str, data_dir: Path) -> str:
    """Where the console is, and how to sign in (the first time: make the first admin)."""
    from unionctl.admin import account_count

    lines = [f"staff console (工作台): {url}"]
    where = "" if data_dir == Path(".union").absolute() else f" --data-dir {data_dir}"
    if asyncio.run(account_count(data_dir)) == 0:
        lines += [
            "No staff account yet. In another terminal, make the first city admin:",
            f"  uv run unionctl admin create --user admin --org zhoushan --name 市总管理员{where}",
            "then sign in at the console with user `admin` and the one-time password it "
            "prints (you will choose your own password at once).",
        ]
    else:
        lines.append("Sign in with your staff account (a city admin creates the others).")
    return "\n".join(lines)


admin_app = typer.Typer(help="The staff console's accounts.", no_args_is_help=True)
app.add_typer(admin_app, name="admin")


@admin_app.command("create")
def admin_create(
    user: Annotated[str, typer.Option("--user", help="User name to sign in with, e.g. admin.")],
    org: Annotated[str, typer.Option(help="The city this admin runs, e.g. zhoushan.")],
    name: Annotated[str | None, typer.Option(help="Display name (default: the user name).")] = None,
    data_dir: DataDir = Path(".union"),
) -> None:
    """Make a city admin of the console directly in its database; print a one-time password."""
    from unionctl.admin import AdminError, create_city_admin

    try:
        issued = asyncio.run(create_city_admin(data_dir.absolute(), user, org, name or user))
    except AdminError as exc:
        raise typer.BadParameter(str(exc)) from exc
    typer.echo(f"created city admin {issued.account.username!r} of {issued.account.org}")
    typer.echo(f"one-time password: {issued.one_time_password}")
    typer.echo("Sign in at the console with it; you will be asked for a new password at once.")


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
    from unionctl.status import probe_all, reasons, status_table

    statuses = probe_all(_urls(host, base_port), timeout)
    console = Console()
    console.print(status_table(statuses))
    for line in reasons(statuses):
        console.print(f"[red]not ready[/red] {line}", soft_wrap=True)
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
    batch_size: Annotated[int, typer.Option(help="Events per transaction.")] = 2000,
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
    console.print(  # a projection naming its event types is handed those alone
        f"rebuilt {service}/{projection}: {applied} events replayed (of its types; log head {head})"
    )


DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="The service's database (default: <SERVICE>_DATABASE_URL; in the service's own "
        "container its DATABASE_URL; else the SQLite file in the data dir, as `unionctl up` "
        "uses).",
    ),
]


def own_database(service: str, data_dir: Path, explicit: str | None) -> str:
    """`--database-url`, else `<SERVICE>_DATABASE_URL`; inside the service's own container
    (SERVICE_NAME is the service) its DATABASE_URL; else the SQLite file in the data dir."""
    if explicit:
        return explicit
    env = os.environ
    if not env.get(f"{service.upper()}_DATABASE_URL") and env.get("SERVICE_NAME") == service:
        if env.get("DATABASE_URL", "").strip():
            return env["DATABASE_URL"].strip()
    return database_url(service, data_dir, env)


@app.command()
def republish(
    service: Annotated[str, typer.Argument(help=f"One of: {', '.join(SERVICES)}.")],
    from_position: Annotated[
        int, typer.Option(help="First log position to send again (default: the whole log).")
    ] = 1,
    data_dir: DataDir = Path(".union"),
    database: DatabaseUrl = None,
    nats_url: Annotated[
        str | None,
        typer.Option(help="NATS to publish to (default: NATS_URL, else `unionctl up`'s)."),
    ] = None,
    batch_size: Annotated[int, typer.Option(help="Events read and published per round.")] = 1000,
) -> None:
    """Send a service's log (what it publishes of it) to its stream again, from its own
    database: after the stream was lost or emptied. Makes the stream first if it is missing."""
    from unionctl.backup import BackupRefused, sqlite_file
    from unionctl.replay import UnknownName, definition_of
    from unionctl.republish import consumers_of, nats_settings
    from unionctl.republish import republish as run_republish

    try:
        definition = definition_of(service)
    except UnknownName as exc:
        raise typer.BadParameter(str(exc)) from exc
    if from_position < 1:
        raise typer.BadParameter("--from-position is a log position, 1 or more")
    url = own_database(service, data_dir, database)
    try:
        path = sqlite_file(url)
    except BackupRefused as exc:
        raise typer.BadParameter(str(exc)) from exc
    if path is not None and not path.exists():
        raise typer.BadParameter(f"{service} has no database at {path} (wrong --data-dir?)")
    settings = nats_settings(service, data_dir.absolute(), nats_url)
    console = Console()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), console=console) as progress:
        task = progress.add_task(f"republishing {service}", total=None)

        def report(position: int, head: int) -> None:
            progress.update(task, completed=position, total=head)

        try:
            done = asyncio.run(
                run_republish(
                    definition,
                    url,
                    settings,
                    from_position=from_position,
                    progress=report,
                    batch_size=batch_size,
                )
            )
        except (OSError, TimeoutError, nats.errors.Error) as exc:
            console.print(f"[red]republish failed:[/red] {type(exc).__name__}: {exc}")
            console.print("Run it again: what the stream already holds is not doubled.")
            raise typer.Exit(1) from exc
    made = " (the stream was missing: made again)" if done.created else ""
    console.print(
        f"republished {service} to {done.stream}{made}: positions {done.first}..{done.head}, "
        f"{done.sent} events sent, {done.kept} of them already in the stream, "
        f"{done.private} private to the service"
    )
    console.print(f"{done.stream} holds {done.held_after} messages (before: {done.held_before})")
    if done.kept > done.held_before:  # more "duplicates" than the stream held: ids remembered
        console.print(
            f"[yellow]JetStream dropped {done.kept} events as duplicates that the stream does "
            "not hold[/yellow]: it was purged less than its duplicate window "
            "(DUPLICATE_WINDOW_S) ago and still knows their ids. Run the command again once "
            "the window has passed."
        )
    if done.created and done.unrelayed:
        console.print(
            f"[yellow]The relay had {done.unrelayed} events waiting for the stream[/yellow]: a "
            "running service sends them as soon as the stream is back, maybe before older "
            "ones. For the log's order, stop the service, republish, then start it."
        )
    readers = consumers_of(done.stream)
    if done.created and readers:
        console.print(
            f"Its durable consumers went with the lost stream: restart {', '.join(readers)} "
            "(one replica after another) and each makes its own again and reads the stream "
            "from the start; their inboxes drop what they had already handled."
        )


@app.command()
def backup(
    service: Annotated[str, typer.Argument(help=f"One of: {', '.join(SERVICES)}, console.")],
    to: Annotated[Path, typer.Option("--to", help="The backup file to write.")],
    data_dir: DataDir = Path(".union"),
    database: DatabaseUrl = None,
) -> None:
    """Copy a service's SQLite database while it runs (a consistent snapshot). PostgreSQL:
    use pg_dump or pg_basebackup (docs/operations.md, "Backups")."""
    from unionctl.backup import BackupRefused
    from unionctl.backup import backup as run_backup

    if service not in (*SERVICES, CONSOLE):
        names = ", ".join((*SERVICES, CONSOLE))
        raise typer.BadParameter(f"unknown service {service!r}; one of: {names}")
    url = own_database(service, data_dir, database)
    try:
        done = run_backup(service, url, to)
    except BackupRefused as exc:
        typer.echo(f"unionctl backup: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(
        f"backed up {service} to {done.path}: {done.size} bytes, {done.events} events "
        f"(log head {done.head})"
    )


@app.command("accept-loss")
def accept_loss(
    service: Annotated[str, typer.Argument(help=f"One of: {', '.join(SERVICES)}.")],
    data_dir: DataDir = Path(".union"),
    database: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="The service's database (default: <SERVICE>_DATABASE_URL, else the SQLite "
            "file in the data dir, as `unionctl up` uses).",
        ),
    ] = None,
    by: Annotated[str, typer.Option(help="Who decides (recorded with the decision).")] = "",
    note: Annotated[str, typer.Option(help="Why (recorded with the decision).")] = "",
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Accept that SERVICE's log lost events its stream holds (a database restored from an
    old backup): it starts again, numbering new events above the stream's."""
    import getpass

    from unionctl.losses import accept, describe, pending

    if service not in SERVICES:
        raise typer.BadParameter(f"unknown service {service!r}; services: {', '.join(SERVICES)}")
    url = database or database_url(service, data_dir, os.environ)
    console = Console()
    found = asyncio.run(pending(url))
    if not found:
        console.print(
            f"{service}: no loss to accept (a service notices one at start-up and says so "
            "in /readyz and `unionctl status`)"
        )
        raise typer.Exit(1)
    for line in describe(service, found):
        console.print(line, soft_wrap=True)
    if not yes:
        typer.confirm("Accept this loss?", abort=True)
    accepted = asyncio.run(accept(url, by or getpass.getuser(), note))
    console.print(
        f"{service}: loss accepted ({len(accepted)} record(s)); a running {service} notices "
        "within seconds and becomes ready, a stopped one starts normally."
    )


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


@app.command()
def errors() -> None:
    """The catalogue of error codes (Markdown): `unionctl errors > docs/errors.md`."""
    from unionctl.catalogue import catalogue, markdown

    print(markdown(catalogue()), end="")


@app.command()
def vocabularies() -> None:
    """The catalogue of closed lists (Markdown): `unionctl vocabularies > docs/vocabularies.md`."""
    from unionctl.vocabularies import catalogue, markdown

    print(markdown(catalogue()), end="")


if __name__ == "__main__":
    app()
