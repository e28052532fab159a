"""Dependencies of the outreach routes, as Annotated aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query
from union_events.http_deps import Context, Today, extra

from ..app.handlers import Outreach

OutreachDep = Annotated[Outreach, Depends(extra("outreach"))]
PageNo = Annotated[int, Query(ge=1)]
PageSize = Annotated[int, Query(ge=1, le=500)]
DistrictPath = Annotated[
    str,
    Query(
        pattern=r"^[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*$",
        description="the district's org path, e.g. zhoushan/dinghai",
    ),
]

__all__ = ["Context", "DistrictPath", "OutreachDep", "PageNo", "PageSize", "Today"]
