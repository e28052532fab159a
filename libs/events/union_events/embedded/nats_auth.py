"""NATS users for the embedded server: each service publishes only its own subjects.

`credentials(data_dir)` gives each service (and an `admin` for tools and tests) a password,
generated once and kept in `<data dir>/nats-users.json` (mode 0600). `server_config(...)`
writes the `authorization` block the embedded `NatsServer` starts with. Production does the
same with NATS accounts (docs/security-nats.md).
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ADMIN = "admin"
CREDENTIALS_FILE = "nats-users.json"


@dataclass(frozen=True, slots=True)
class Consumes:
    """A durable consumer a service runs on another service's stream."""

    stream: str  # e.g. "MEMBERS"
    durable: str  # e.g. "claims-members"
    subject: str  # its filter, e.g. "union.members.>"


# Who consumes what on the platform (the services' ConsumerSpecs; a test keeps them in step).
PLATFORM: dict[str, tuple[Consumes, ...]] = {
    "members": (
        Consumes("OUTREACH", "members-outreach", "union.outreach.intake.>"),
        Consumes("CLAIMS", "members-claims", "union.claims.plan_year.>"),
    ),
    "claims": (Consumes("MEMBERS", "claims-members", "union.members.>"),),
    "relief": (
        Consumes("CLAIMS", "relief-claims", "union.claims.>"),
        Consumes("MEMBERS", "relief-members", "union.members.>"),
        Consumes("OUTREACH", "relief-outreach", "union.outreach.>"),
    ),
    "outreach": (
        Consumes("MEMBERS", "outreach-members", "union.members.join_request.>"),
        Consumes("MEMBERS", "outreach-member-facts", "union.members.member.>"),
        Consumes("RELIEF", "outreach-relief", "union.relief.application.>"),
    ),
}


def inbox_prefix(service: str) -> str:
    """Replies to a service (JetStream acks, pulled messages) come to its own inboxes only."""
    return f"_INBOX.{service}"


def appends_subject(service: str) -> str:
    """Where a service's API process tells its worker process it appended (service.py): a
    core NATS subject no stream keeps, under the inbox prefix only the service reads."""
    return f"{inbox_prefix(service)}.appended"


def permissions(service: str, consumes: Sequence[Consumes]) -> dict[str, dict[str, list[str]]]:
    """The narrowest publish/subscribe allow-lists that run `service` on JetStream."""
    own = [service.upper(), f"DLQ_{service.upper()}"]
    publish = [f"union.{service}.>", f"union.dlq.{service}.>", "$JS.API.INFO"]
    publish.append(appends_subject(service))
    for stream in own:  # its own streams: created or brought in line at start-up
        publish += [f"$JS.API.STREAM.{verb}.{stream}" for verb in ("INFO", "CREATE", "UPDATE")]
    for c in consumes:
        # A consumer creates the producer's stream when it starts first (service.py's
        # ensure_source_stream): start order stays free. It still cannot publish into it.
        publish += [f"$JS.API.STREAM.{verb}.{c.stream}" for verb in ("INFO", "CREATE")]
        publish += [
            f"$JS.API.CONSUMER.CREATE.{c.stream}.{c.durable}",
            f"$JS.API.CONSUMER.CREATE.{c.stream}.{c.durable}.>",
            f"$JS.API.CONSUMER.DURABLE.CREATE.{c.stream}.{c.durable}",
            f"$JS.API.CONSUMER.INFO.{c.stream}.{c.durable}",
            f"$JS.API.CONSUMER.MSG.NEXT.{c.stream}.{c.durable}",
            f"$JS.ACK.{c.stream}.{c.durable}.>",
        ]
    subscribe = [f"{inbox_prefix(service)}.>"] + [c.subject for c in consumes]
    return {"publish": {"allow": _unique(publish)}, "subscribe": {"allow": _unique(subscribe)}}


def credentials(
    data_dir: Path, services: Sequence[str] = tuple(PLATFORM)
) -> dict[str, tuple[str, str]]:
    """service -> (user, password) for each service and `admin`; generated once, kept 0600."""
    path = Path(data_dir) / CREDENTIALS_FILE
    known: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    wanted = [*services, ADMIN]
    if any(name not in known for name in wanted):
        known |= {name: secrets.token_urlsafe(24) for name in wanted if name not in known}
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path.with_suffix(".tmp"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            json.dump(known, out, indent=2)
        path.with_suffix(".tmp").replace(path)
    os.chmod(path, 0o600)
    return {name: (name, known[name]) for name in wanted}


def server_config(
    path: Path,
    users: Mapping[str, tuple[str, str]],
    platform: Mapping[str, Sequence[Consumes]] = PLATFORM,
) -> Path:
    """Write a nats-server config with one user per service (and an unrestricted admin)."""
    entries = []
    for name, (user, password) in users.items():
        entry: dict[str, object] = {"user": user, "password": password}
        if name != ADMIN:
            entry["permissions"] = permissions(name, platform.get(name, ()))
        entries.append(entry)
    # nats-server's config format accepts JSON for a block's value.
    text = "authorization {\n  users = " + json.dumps(entries, indent=2) + "\n}\n"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(text)
    return path


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
