"""What the desks' pages share: a desk's tab, the federation's today, the person's district,
and a service's refusal put on a form (a 5xx is no refusal: it goes to the error page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from fastapi import Request
from union_events.clock import zone
from union_events.orgs import district_of

from ..auth.sessions import Session
from ..clients import ServiceError
from .forms import Problems


@dataclass(frozen=True)
class Tab:
    """One of a desk's tabs, shown to the roles that work at it."""

    key: str
    label: str
    path: str
    roles: frozenset[str]
    summary: str


def today(request: Request) -> date:
    """The federation's today (its time zone, as the services count days)."""
    return datetime.now(zone(request.app.state.settings.timezone)).date()


def my_district(session: Session) -> str:
    return district_of(session.identity.org)


def refused(problems: Problems, exc: ServiceError) -> None:
    """The service's refusal (4xx), in Chinese, at the top of the form; a 5xx is raised again."""
    if exc.status >= 500:
        raise exc
    problems.general.append(exc.message)
