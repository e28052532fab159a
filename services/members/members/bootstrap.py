"""The composition root of the members service: the only place that wires its parts."""

from __future__ import annotations

from union_events.published.members import PUBLISHED
from union_events.service import Runtime, ServiceDefinition
from union_events.store import EventStore

from .api import campaigns, join_requests, members, orgs
from .app.handlers import Members
from .consumers.outreach import outreach_consumer
from .privacy import KeyVault, Secrets
from .projections.join_requests import JoinRequestsView
from .projections.views import MembersView, views
from .public import public_view
from .settings import MembersSettings

NAME = "members"


async def on_start(runtime: Runtime) -> None:
    settings = MembersSettings()
    secrets = Secrets.load(runtime.settings.union_data_dir, settings.secret)
    vault = KeyVault(runtime.store.engine, secrets)
    await vault.create()
    runtime.extras["settings"] = settings
    runtime.extras["members"] = Members(runtime.store, vault, secrets)


def definition() -> ServiceDefinition:
    wiring: dict[str, EventStore] = {}  # filled at start-up; the consumer reads it per message

    async def start(runtime: Runtime) -> None:
        await on_start(runtime)
        wiring["store"] = runtime.store

    return ServiceDefinition(
        name=NAME,
        title="Members: identity, org registry, enrolment",
        routers=[orgs.router, members.router, campaigns.router, join_requests.router],
        metadata=views,
        projections=[MembersView(), JoinRequestsView()],
        consumers=[outreach_consumer(wiring)],
        publishes=PUBLISHED,
        public_view=public_view,
        on_start=start,
    )
