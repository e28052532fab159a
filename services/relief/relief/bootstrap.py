"""The composition root of the relief service: the only place that wires its parts."""

from __future__ import annotations

import asyncio

from union_events.published.relief import PUBLISHED
from union_events.service import Runtime, ServiceDefinition

from .api import files, grants, reports
from .app.notifications import run_notifications
from .app.notifier import LogNotifier, Notifier, WebhookNotifier
from .app.relief import Relief, build_relief
from .consumers.claims import claims_consumer
from .consumers.members import members_consumer
from .consumers.outreach import outreach_consumer
from .projections.files_view import FilesView
from .projections.grants_view import GrantsView
from .projections.tables import views
from .public import public_view
from .settings import ReliefSettings

NAME = "relief"


def notifier_for(settings: ReliefSettings) -> Notifier:
    if settings.webhook_url:
        return WebhookNotifier(
            settings.webhook_url, settings.webhook_retries, settings.webhook_backoff_s
        )
    return LogNotifier()


def definition() -> ServiceDefinition:
    wiring: dict[str, Relief] = {}  # filled at start-up; consumers read it per message

    async def on_start(runtime: Runtime) -> None:
        settings = ReliefSettings()
        relief = await build_relief(runtime.store, runtime.settings.union_data_dir, settings)
        wiring["relief"] = runtime.extras["relief"] = relief
        notifier = runtime.extras.setdefault("notifier", notifier_for(settings))
        runtime.tasks.append(
            asyncio.create_task(run_notifications(runtime.store, notifier, runtime.stop))
        )

    return ServiceDefinition(
        name=NAME,
        title="Relief: hardship files, cards, grants",
        routers=[files.router, grants.router, reports.router],
        metadata=views,
        projections=[FilesView(), GrantsView()],
        consumers=[claims_consumer(wiring), members_consumer(wiring), outreach_consumer(wiring)],
        publishes=PUBLISHED,
        public_view=public_view,
        on_start=on_start,
    )
