"""Benefit campaigns (普惠服务): open one, hand items out at any point, list and read stock."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from union_events.commands import load
from union_events.errors import NotFound
from union_events.orgs import validate_org_path

from ..app import handouts
from ..app.aggregates import campaign_stream, campaigns
from ..domain.campaigns import Recipient
from ..projections.lists import campaigns_view
from ..projections.queries import campaigns_for, page
from . import shapes
from .answers import CampaignOut, CampaignPage, HandedOut
from .deps import (
    Context,
    CurrentPrincipal,
    DistrictQuery,
    OutreachDep,
    PageNo,
    PageSize,
    Today,
    authorize,
    jurisdiction,
    permitted,
)
from .schemas import CampaignIn, HandOutIn

router = APIRouter(tags=["benefit campaigns"])


@router.post("/campaigns", status_code=201, response_model=CampaignOut)
async def open_campaign(
    body: CampaignIn, o: OutreachDep, who: CurrentPrincipal, ctx: Context
) -> dict[str, Any]:
    """Open a campaign: kind, stock, eligibility (member categories, districts), period.
    A campaign for all districts (none named) is city-wide: a city admin's."""
    districts: list[str | None] = list(body.districts) or [None]  # none: city-wide
    for district in districts:
        authorize(who, "outreach.manage", district)
    state = await handouts.open_campaign(
        o,
        campaign_id=body.campaign_id,
        name=body.name,
        kind=body.kind,
        stock=body.stock,
        categories=body.categories,
        districts=body.districts,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        city=who.city,
        ctx=ctx,
    )
    return shapes.campaign(state)


@router.get("/campaigns", response_model=CampaignPage)
async def list_campaigns(
    o: OutreachDep,
    who: CurrentPrincipal,
    district: DistrictQuery = None,
    page_no: Annotated[PageNo, Query(alias="page")] = 1,
    size: PageSize = 50,
) -> dict[str, Any]:
    """The campaigns of the caller's jurisdiction (or of the district named): the city's and
    those naming the district; newest first, with the stock left (from the read model)."""
    org = jurisdiction(who, "outreach.read", district)
    c = campaigns_view.c
    order = [c.starts_on.desc(), c.campaign_id]
    where = campaigns_for(org)
    return await page(
        o.store.engine, campaigns_view, where, order, page_no, size, shapes.campaign_row
    )


@router.get("/campaigns/{campaign_id}", response_model=CampaignOut)
async def get_campaign(campaign_id: str, o: OutreachDep, who: CurrentPrincipal) -> dict[str, Any]:
    """A campaign's stock: items in stock, handed out and remaining (from its log)."""
    permitted(who, "outreach.read")
    state, version = await load(o.store, campaigns, campaign_stream(campaign_id))
    if version == 0:
        raise NotFound(f"no campaign {campaign_id}", code="campaign_not_found")
    return shapes.campaign(state)


@router.post("/campaigns/{campaign_id}/hand-outs", status_code=201, response_model=HandedOut)
async def hand_out(
    campaign_id: str,
    body: HandOutIn,
    o: OutreachDep,
    who: CurrentPrincipal,
    today: Today,
    ctx: Context,
) -> dict[str, Any]:
    """Hand one item to an eligible member outreach knows (422 `unknown_member` for an id it
    has not heard of from members) at a service point: 409 when out of stock or when the member
    had one (at any point in the city, however the id was spelt), 403 when not eligible."""
    point = validate_org_path(body.point, depth=3, what="service point")
    authorize(who, "outreach.serve", point)
    district = body.member_district
    if district is not None:
        district = validate_org_path(district, depth=2, what="member_district")
    recipient = Recipient(body.member_id, body.member_category, district)
    state, member_id = await handouts.hand_out(o, campaign_id, recipient, point, today, ctx)
    return {**shapes.campaign(state), "member_id": member_id}
