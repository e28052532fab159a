"""The composition root of the members service: the only place that wires its parts."""

from __future__ import annotations

from union_events.published.members import PUBLISHED
from union_events.service import Runtime, ServiceDefinition

from .api import campaigns, members, orgs
from .app.handlers import Members
from .privacy import KeyVault, Secrets
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
    return ServiceDefinition(
        name=NAME,
        title="Members: identity, org registry, enrolment",
        routers=[orgs.router, members.router, campaigns.router],
        metadata=views,
        projections=[MembersView()],
        publishes=PUBLISHED,
        public_view=public_view,
        on_start=on_start,
    )
