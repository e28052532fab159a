"""The composition root of the claims service: the only place that wires its parts."""

from __future__ import annotations

from union_events.published.claims import PUBLISHED
from union_events.service import Runtime, ServiceDefinition

from .api import claims, members, plan_years, registry, reports
from .app.handlers import Claims
from .consumers.members import members_consumer
from .projections.claims_view import ClaimsView
from .projections.hospitals import HospitalsView
from .projections.rejections import RejectionsView
from .projections.settlement import PaymentsView, views
from .public import public_view

NAME = "claims"


def definition() -> ServiceDefinition:
    wiring: dict[str, Claims] = {}  # filled at start-up; the consumer reads it per message

    async def on_start(runtime: Runtime) -> None:
        service = Claims(runtime.store, today=runtime.today)
        wiring["claims"] = runtime.extras["claims"] = service

    return ServiceDefinition(
        name=NAME,
        title="Claims: mutual-aid plans, claims, reimbursement",
        routers=[
            plan_years.router,
            claims.router,
            members.router,
            reports.router,
            registry.router,
        ],
        metadata=views,
        projections=[PaymentsView(), ClaimsView(), HospitalsView(), RejectionsView()],
        consumers=[members_consumer(wiring)],
        publishes=PUBLISHED,
        public_view=public_view,
        on_start=on_start,
    )
