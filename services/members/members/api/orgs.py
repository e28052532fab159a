"""The org registry: city → district → unit, service points under a district."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Query
from union_events.errors import NotFound
from union_events.published.vocabularies import OrgLevel as Level

from ..app.handlers import find_org, register_org
from ..domain.orgs import validate_org_path
from ..projections.queries import list_orgs
from .deps import Context, CurrentPrincipal, MembersDep, authorize
from .schemas import OrgIn, OrgOut

router = APIRouter(prefix="/orgs", tags=["orgs"])


@router.post("", status_code=201, response_model=OrgOut)
async def create_org(body: OrgIn, m: MembersDep, who: CurrentPrincipal, ctx: Context) -> OrgOut:
    """Register an org; its parent is the path's prefix and must exist."""
    authorize(who, "orgs.manage", body.path)
    org = await register_org(m, body.path, body.name, body.level, ctx)
    return OrgOut(**asdict(org))


@router.get("", response_model=list[OrgOut])
async def get_orgs(
    m: MembersDep, level: Level | None = None, parent: str | None = Query(None, max_length=200)
) -> list[OrgOut]:
    """List orgs, by level and/or parent."""
    return [OrgOut(**row) for row in await list_orgs(m.store.engine, level, parent)]


@router.get("/{path:path}", response_model=OrgOut)
async def get_org(path: str, m: MembersDep) -> OrgOut:
    """One org by its path."""
    org = await find_org(m.store, validate_org_path(path))
    if org is None:
        raise NotFound(f"no org {path!r}", code="org_not_found")
    return OrgOut(**asdict(org))
