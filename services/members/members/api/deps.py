"""Dependencies of the members routes, as Annotated aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from union_events.http_deps import Context, Today, extra

from ..app.handlers import Members
from ..settings import MembersSettings

MembersDep = Annotated[Members, Depends(extra("members"))]
SettingsDep = Annotated[MembersSettings, Depends(extra("settings"))]

__all__ = ["Context", "MembersDep", "SettingsDep", "Today"]
