"""The composition root of the members service: the only place that wires its parts."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from union_events.published.members import PUBLISHED
from union_events.service import Runtime, ServiceDefinition
from union_events.settings import ServiceSettings

from .api import campaigns, join_requests, lookup, members, orgs, plan_years
from .app.handlers import Members
from .consumers.claims import claims_consumer
from .consumers.outreach import outreach_consumer
from .privacy import KeyVault, Secrets
from .projections.campaigns import CampaignsView
from .projections.join_requests import JoinRequestsView
from .projections.lookup_index import Keys, MemberIndexView
from .projections.movements import MovementsView
from .projections.plan_years import PlanYearsView
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


def index_keys(wiring: dict[str, Any]) -> Any:
    """The lookup index's vault and secrets: the running service's, or (a rebuild by a tool,
    `unionctl replay`) the service's secret read from MEMBERS_SECRET or its data dir."""

    def keys(engine: AsyncEngine) -> Keys:
        if "members" in wiring:
            m: Members = wiring["members"]
            return m.vault, m.secrets
        secrets = Secrets.load_existing(ServiceSettings().union_data_dir, MembersSettings().secret)
        return KeyVault(engine, secrets), secrets

    return keys


SIGNUPS_ROUTE = r"/campaigns/[^/]+/signups"  # the bulk sign-up: its own body limit


def body_limits() -> dict[str, int]:
    return {SIGNUPS_ROUTE: MembersSettings().signup_max_body_bytes}


def definition() -> ServiceDefinition:
    wiring: dict[str, Any] = {}  # filled at start-up; consumers and the index read it

    async def start(runtime: Runtime) -> None:
        await on_start(runtime)
        wiring["store"] = runtime.store
        wiring["members"] = runtime.extras["members"]

    return ServiceDefinition(
        name=NAME,
        title="Members: identity, org registry, enrolment",
        routers=[
            orgs.router,
            lookup.router,
            members.router,
            campaigns.router,
            join_requests.router,
            plan_years.router,
        ],
        metadata=views,
        projections=[
            MembersView(),
            MovementsView(),
            JoinRequestsView(),
            PlanYearsView(),
            CampaignsView(),
            MemberIndexView(index_keys(wiring)),
        ],
        consumers=[outreach_consumer(wiring), claims_consumer(wiring)],
        publishes=PUBLISHED,
        public_view=public_view,
        on_start=start,
        body_limits=body_limits,
    )
