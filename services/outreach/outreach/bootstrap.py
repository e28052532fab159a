"""The composition root of the outreach service: the only place that wires its parts."""

from __future__ import annotations

from datetime import date

from union_events.clock import today as union_today
from union_events.published.outreach import PUBLISHED
from union_events.service import Runtime, ServiceDefinition

from .api import campaigns, intakes, points, reports, sessions
from .app.handlers import Outreach
from .consumers.members import member_facts_consumer, members_consumer
from .consumers.relief import relief_consumer
from .projections.lists import CampaignsView, IntakeListView
from .projections.views import OutreachView, views
from .public import public_view

NAME = "outreach"


def definition() -> ServiceDefinition:
    wiring: dict[str, Outreach] = {}  # filled at start-up; the consumers read it per message
    clock: list[Runtime] = []

    def today() -> date:
        """The runtime's today (its test clock when a test set one; else UNION_TIMEZONE's)."""
        return clock[0].today() if clock else union_today()

    async def on_start(runtime: Runtime) -> None:
        clock.append(runtime)
        wiring["outreach"] = runtime.extras["outreach"] = Outreach(runtime.store)

    return ServiceDefinition(
        name=NAME,
        title="Outreach: service points, roving sessions, intake, campaigns",
        routers=[points.router, sessions.router, intakes.router, campaigns.router, reports.router],
        metadata=views,
        projections=[OutreachView(), IntakeListView(), CampaignsView()],
        consumers=[
            relief_consumer(wiring, today),
            members_consumer(wiring, today),
            member_facts_consumer(wiring),
        ],
        publishes=PUBLISHED,
        public_view=public_view,
        on_start=on_start,
    )
