"""Benefit campaigns (普惠服务): open one, hand items out at any point, read stock."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from union_events.commands import load
from union_events.errors import NotFound

from ..app import handouts
from ..app.aggregates import campaign_stream, campaigns
from ..domain.campaigns import Campaign, Recipient
from ..domain.vocabulary import org_path
from .deps import Context, CurrentPrincipal, OutreachDep, Today, authorize, permitted
from .schemas import CampaignIn, HandOutIn

router = APIRouter(tags=["benefit campaigns"])


@router.post("/campaigns", status_code=201)
async def open_campaign(
    body: CampaignIn, o: OutreachDep, who: CurrentPrincipal, ctx: Context
) -> dict[str, Any]:
    """Open a campaign: kind, stock, eligibility (member categories, districts), period.
    A campaign for all districts (none named) is city-wide: a city admin's."""
    for district in body.districts or [None]:
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
        ctx=ctx,
    )
    return _out(state)


@router.get("/campaigns/{campaign_id}")
async def get_campaign(campaign_id: str, o: OutreachDep, who: CurrentPrincipal) -> dict[str, Any]:
    """A campaign's stock: items in stock, handed out and remaining."""
    permitted(who, "outreach.read")
    state, version = await load(o.store, campaigns, campaign_stream(campaign_id))
    if version == 0:
        raise NotFound(f"no campaign {campaign_id}", code="campaign_not_found")
    return _out(state)


@router.post("/campaigns/{campaign_id}/hand-outs", status_code=201)
async def hand_out(
    campaign_id: str,
    body: HandOutIn,
    o: OutreachDep,
    who: CurrentPrincipal,
    today: Today,
    ctx: Context,
) -> dict[str, Any]:
    """Hand one item to an eligible member at a service point: 409 when out of stock or when
    the member had one (at any point in the city), 403 when not eligible."""
    authorize(who, "outreach.serve", body.point)
    recipient = Recipient(
        body.member_id, body.member_category, org_path(body.member_district, 2, "district")
    )
    state = await handouts.hand_out(o, campaign_id, recipient, body.point, today, ctx)
    return {"campaign_id": campaign_id, "member_id": body.member_id, **_out(state)}


def _out(state: Campaign) -> dict[str, Any]:
    return {
        "campaign_id": state.campaign_id,
        "kind": state.kind,
        "stock": state.stock,
        "handed_out": state.handed_out,
        "remaining": state.remaining,
        "categories": list(state.categories),
        "districts": list(state.districts),
        "starts_on": state.starts_on.isoformat() if state.starts_on else None,
        "ends_on": state.ends_on.isoformat() if state.ends_on else None,
    }
