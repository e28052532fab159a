"""Dependencies of the members routes, as Annotated aliases."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import Depends, Header, Request
from union_events.events import EventContext

from ..app.handlers import Members
from ..settings import MembersSettings


def _members(request: Request) -> Members:
    members: Members = request.app.state.runtime.extras["members"]
    return members


def _settings(request: Request) -> MembersSettings:
    settings: MembersSettings = request.app.state.runtime.extras["settings"]
    return settings


def _today(request: Request) -> date:
    clock = request.app.state.runtime.extras.get("today")
    return clock() if clock else date.today()


def _context(x_correlation_id: Annotated[str | None, Header()] = None) -> EventContext:
    return EventContext(correlation_id=x_correlation_id or str(uuid.uuid4()))


MembersDep = Annotated[Members, Depends(_members)]
SettingsDep = Annotated[MembersSettings, Depends(_settings)]
Today = Annotated[date, Depends(_today)]
Context = Annotated[EventContext, Depends(_context)]
