"""The Jinja environment: templates of every desk, the filters, and `render`."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from ..desks import desks_for
from ..i18n import label
from ..i18n.labels import MEMBER_STATUSES
from . import formats
from .security import csrf_token

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def build_templates(timezone: str) -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES))
    env = templates.env
    env.filters.update(
        date_cn=partial(formats.date_cn, timezone=timezone),
        datetime_cn=partial(formats.datetime_cn, timezone=timezone),
        time_cn=partial(formats.time_cn, timezone=timezone),
        yuan=formats.yuan,
        mask_id=formats.mask_id,
        mask_phone=formats.mask_phone,
        label=label,
    )
    env.globals["label"] = label
    env.globals["member_statuses"] = MEMBER_STATUSES
    return templates


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    desk: str = "",
) -> HTMLResponse:
    """A page: the template with the signed-in person, their desks and the CSRF token."""
    session = getattr(request.state, "session", None)
    identity = session.identity if session is not None else None
    base = {
        "user": identity,
        "desks": desks_for(identity.role) if identity else [],
        "active_desk": desk,
        "csrf_token": csrf_token(request),
        "orgs": getattr(request.state, "orgs", {}),
    }
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request, template, {**base, **(context or {})}, status_code=status_code
    )
