"""The registries claims keeps: the city's hospitals (kept by a city admin), and the orgs
claims has heard of from members (where claims may be filed and paid)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from union_events.auth import permitted
from union_events.errors import NotFound
from union_events.http_deps import PageNo, PageSize
from union_events.orgs import validate_org_path

from ..app import registry
from ..projections.hospitals import hospitals_page
from .answers import HospitalOut, HospitalPage, OrgOut
from .deps import ClaimsDep, Context, CurrentPrincipal, authorize
from .schemas import HospitalIn

router = APIRouter(tags=["registries"])
Code = Annotated[str, Path(min_length=1, max_length=64, description="the hospital's code")]


@router.put("/hospitals/{code}", response_model=HospitalOut)
async def put_hospital(
    code: Code, body: HospitalIn, c: ClaimsDep, who: CurrentPrincipal, ctx: Context
) -> dict[str, Any]:
    """Register a hospital in the city's registry, or change its name or district (city
    admin). Invoices name their hospital by this code."""
    authorize(who, "hospitals.manage", validate_org_path(body.city, depth=1, what="city"))
    saved = await registry.set_hospital(
        c.store, code, name=body.name, city=body.city, district=body.district, ctx=ctx
    )
    return registry.hospital_data(saved)


@router.get("/hospitals/{code}", response_model=HospitalOut)
async def get_hospital(code: Code, c: ClaimsDep, who: CurrentPrincipal) -> dict[str, Any]:
    """One hospital of the registry, by code (404 `unknown_hospital`)."""
    permitted(who, "claims.read")
    return registry.hospital_data(await registry.hospital(c.store, code))


@router.get("/hospitals", response_model=HospitalPage)
async def list_hospitals(
    c: ClaimsDep,
    who: CurrentPrincipal,
    district: Annotated[str | None, Query(max_length=200)] = None,
    page: PageNo = 1,
    size: PageSize = 50,
) -> dict[str, Any]:
    """The hospitals of the caller's city (or of one of its districts), by code."""
    permitted(who, "claims.read")
    if district is not None:
        district = validate_org_path(district, depth=2, what="district")
    return await hospitals_page(c.store.engine, who.city, district, page, size)


@router.get("/orgs/{path:path}", response_model=OrgOut)
async def get_org(path: str, c: ClaimsDep, who: CurrentPrincipal) -> dict[str, Any]:
    """An org as claims heard of it from members (404 `unknown_org` until it has): claims
    are filed and paid only at orgs of level `service_point`."""
    permitted(who, "claims.read")
    org = await registry.org(c.store, path)
    if org is None:
        raise NotFound(f"claims has not heard of an org {path} from members", code="unknown_org")
    return {"path": org.path, "name": org.name, "level": org.level}
